import type { TObject } from '@sinclair/typebox';
import { Entity } from './entity.js';
import { Flow } from './flow.js';
import { Layout } from './layout.js';
import { Manifest } from './manifest.js';
import { Pipeline } from './pipeline.js';
import { Role } from './role.js';
import { View } from './view.js';

/** The document kinds this package knows (CONVENTIONS.md §1 names those to come: approval, printTemplate, board, sharingRule). */
export const DOCUMENT_KINDS = ['entity', 'layout', 'view', 'pipeline', 'role', 'flow', 'manifest'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const isDocumentKind = (k: unknown): k is DocumentKind => typeof k === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(k);

/**
 * The JSON Schema of each kind (TypeBox). Tagged unions carry `discriminator`:
 * compile them with ajv's `discriminator: true` option.
 */
export const schemas: Readonly<Record<DocumentKind, TObject>> = { entity: Entity, layout: Layout, view: View, pipeline: Pipeline, role: Role, flow: Flow, manifest: Manifest };

/** The TypeScript type of each kind's body. */
export interface DocumentBodies {
  entity: Entity;
  layout: Layout;
  view: View;
  pipeline: Pipeline;
  role: Role;
  flow: Flow;
  manifest: Manifest;
}

/** The current schemaVersion of each kind; older documents are upgraded by migrateDocument. */
export const CURRENT_VERSION: Readonly<Record<DocumentKind, number>> = { entity: 1, layout: 1, view: 1, pipeline: 1, role: 1, flow: 1, manifest: 1 };

/** One metadata document as stored: `(kind, id, body)`. `validate()` takes a workspace's set as an array of these. */
export interface MetadataDocument {
  kind: DocumentKind;
  id: string;
  body: Record<string, unknown>;
}

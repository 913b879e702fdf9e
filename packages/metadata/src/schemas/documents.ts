import type { TObject } from '@sinclair/typebox';
import { Entity } from './entity.js';
import { Layout } from './layout.js';
import { Manifest } from './manifest.js';
import { Pipeline } from './pipeline.js';
import { Role } from './role.js';
import { View } from './view.js';

export const DOCUMENT_KINDS = ['entity', 'layout', 'view', 'pipeline', 'role', 'manifest'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const schemas: Record<DocumentKind, TObject> = { entity: Entity, layout: Layout, view: View, pipeline: Pipeline, role: Role, manifest: Manifest };

/** The current schemaVersion of each kind; documents with an older one are migrated on read. */
export const CURRENT_VERSION: Record<DocumentKind, number> = { entity: 1, layout: 1, view: 1, pipeline: 1, role: 1, manifest: 1 };

/** One metadata document as stored: `(kind, id, body)`. */
export interface MetadataDocument {
  kind: DocumentKind;
  id: string;
  body: Record<string, unknown>;
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOCUMENT_KINDS, type DocumentKind, type MetadataDocument } from '@crm/metadata';

export interface TemplatePackage {
  manifest: Record<string, unknown>;
  documents: MetadataDocument[];
}

/** A template on disk: `manifest.json` and `documents/<kind>/<id>.json`. */
export async function readTemplate(dir: string): Promise<TemplatePackage> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const documents: MetadataDocument[] = [];
  for (const kind of DOCUMENT_KINDS) {
    let files: string[] = [];
    try {
      files = (await readdir(join(dir, 'documents', kind))).filter((f) => f.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const body = JSON.parse(await readFile(join(dir, 'documents', kind, f), 'utf8')) as Record<string, unknown>;
      documents.push({ kind: kind as DocumentKind, id: String(body.id), body });
    }
  }
  return { manifest, documents };
}

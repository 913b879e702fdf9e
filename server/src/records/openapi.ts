import { fieldTypes, labelText, type FieldType } from '@crm/metadata';
import type { EntityModel, WorkspaceModel } from './model.js';

/**
 * OpenAPI 3.1 of a workspace's records API, generated from its published
 * metadata (3.1 takes the field types' JSON Schemas as they are). Only the
 * entities the caller may read are described.
 */
export function openApiFor(model: WorkspaceModel, slug: string, visible: (m: EntityModel) => boolean, lang: 'zh-CN' | 'en') {
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object', required: ['code', 'message'],
      properties: {
        code: { type: 'string', pattern: '^CRM_ERR_' }, message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  };
  const paths: Record<string, unknown> = {};
  const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const ifMatch = { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The record version, e.g. "3"' };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

  for (const m of model.entities.values()) {
    if (!visible(m)) continue;
    const name = pascal(m.table);
    const props: Record<string, unknown> = {
      id: { type: 'string', format: 'uuid', readOnly: true },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
      created_by: { type: ['string', 'null'], format: 'uuid', readOnly: true },
      updated_by: { type: ['string', 'null'], format: 'uuid', readOnly: true },
      version: { type: 'integer', readOnly: true },
      deleted_at: { type: ['string', 'null'], format: 'date-time', readOnly: true },
    };
    if (m.entity.ownership === 'owned') props.owner_id = { type: ['string', 'null'], format: 'uuid' };
    const input: Record<string, unknown> = m.entity.ownership === 'owned' ? { owner_id: props.owner_id } : {};
    const required: string[] = [];
    for (const [key, f] of m.fields) {
      if (f.type === 'lookup') continue;
      const schema = { ...JSON.parse(JSON.stringify(fieldTypes[f.type as FieldType].wireSchema(f))), title: labelText(f.label as { 'zh-CN'?: string; en?: string }, lang) };
      props[key] = m.writable.has(key) ? schema : { ...schema, readOnly: true };
      if (m.writable.has(key)) input[key] = schema;
      if (f.required && m.writable.has(key)) required.push(key);
    }
    schemas[name] = { type: 'object', title: labelText(m.entity.label, lang), properties: props };
    schemas[`${name}Input`] = { type: 'object', additionalProperties: false, properties: input, ...(required.length ? { required } : {}) };
    const one = { content: { 'application/json': { schema: { type: 'object', properties: { data: { $ref: `#/components/schemas/${name}` } } } } } };
    const body = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: ref } } } });
    const base = `/api/w/${slug}/records/${m.table}`;
    const tag = labelText(m.entity.label, lang);
    paths[base] = {
      get: {
        tags: [tag], summary: `List ${m.table}`,
        parameters: ['filter', 'sort', 'cursor', 'fields', 'expand', 'q'].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } }))
          .concat([{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } } as never, { name: 'total', in: 'query', schema: { type: 'boolean' } } as never]),
        responses: {
          200: { description: 'A page', content: { 'application/json': { schema: { type: 'object', properties: {
            data: { type: 'array', items: { $ref: `#/components/schemas/${name}` } }, nextCursor: { type: ['string', 'null'] }, total: { type: 'integer' } } } } } },
          400: err('Unknown field, operator or parameter'),
        },
      },
      post: {
        tags: [tag], summary: `Create a ${m.table} record`,
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 } }],
        requestBody: body(`#/components/schemas/${name}Input`),
        responses: { 201: { description: 'Created', ...one }, 400: err('Unknown or protected fields'), 403: err('Not allowed'), 422: err('Invalid record') },
      },
    };
    paths[`${base}/batch`] = {
      post: {
        tags: [tag], summary: 'Create up to 1,000 records, all or nothing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { records: { type: 'array', maxItems: 1000, items: { $ref: `#/components/schemas/${name}Input` } } } } } } },
        responses: { 201: { description: 'Created' }, 422: err('Invalid records, by index') },
      },
    };
    paths[`${base}/{id}`] = {
      get: { tags: [tag], parameters: [idParam], responses: { 200: { description: 'The record', ...one }, 404: err('Not found or not visible') } },
      patch: {
        tags: [tag], parameters: [idParam, ifMatch], requestBody: body(`#/components/schemas/${name}Input`),
        responses: { 200: { description: 'Updated', ...one }, 404: err('Not found'), 409: err('Version conflict'), 422: err('Invalid'), 428: err('If-Match missing') },
      },
      delete: { tags: [tag], parameters: [idParam, ifMatch], responses: { 200: { description: 'Moved to the recycle bin' }, 409: err('Conflict or still referenced') } },
    };
    paths[`${base}/{id}/restore`] = { post: { tags: [tag], parameters: [idParam, ifMatch], responses: { 200: { description: 'Restored', ...one } } } };
    paths[`${base}/{id}/history`] = { get: { tags: [tag], parameters: [idParam], responses: { 200: { description: 'Audit history' } } } };
  }
  return {
    openapi: '3.1.0',
    info: { title: `CRM workspace ${slug}`, version: String(model.revision) },
    components: {
      schemas,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'crm_session' }, token: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}

const pascal = (key: string) => key.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');

import { z, type ZodType } from 'zod';
import { PERMISSIONS } from '../../../common/permissions.js';
import type { RouteDef } from './route.js';

function jsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'VALIDATION_FAILED' },
        message: { type: 'string', description: 'In the caller’s language (zh-CN by default, en on request)' },
        fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** The OpenAPI 3.1 description of every registered route, built from the same zod schemas that validate requests. */
export function buildOpenApi(defs: RouteDef[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    const path = def.url.replace(/:(\w+)/g, '{$1}');
    const permission = def.permission;
    const operation: Record<string, unknown> = {
      tags: [def.tag],
      summary: def.summary,
      description:
        permission === 'public'
          ? 'No sign-in needed.'
          : permission === 'authenticated'
            ? 'Any signed-in user.'
            : `Needs permission \`${permission}\` (${PERMISSIONS[permission].en}).`,
      'x-permission': permission,
      parameters: [...parameters(def.params, 'path'), ...parameters(def.query, 'query')],
      responses: {
        [String(def.status ?? 200)]: { description: 'Success' },
        '4XX': { description: 'Error', content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
      ...(permission === 'public' ? { security: [] } : {}),
    };
    if (def.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(def.body) } } };
    if (def.upload) operation.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    (paths[path] ??= {})[def.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: info.version,
      description:
        'REST JSON API. Sign in at POST /api/v1/auth/login (session cookie; send the CSRF token from /api/v1/auth/me ' +
        'in the X-CSRF-Token header on changes) or use a personal API token as `Authorization: Bearer crmpat_...`. ' +
        'Send `X-CRM-Locale: en` (or Accept-Language) for English messages.',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'crm_sid' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A readable, dependency-free page over the OpenAPI document. */
export function docsPage(spec: ReturnType<typeof buildOpenApi>): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops) as [string, Record<string, unknown>][]) {
      const params = (op.parameters as { name: string; in: string; required: boolean; schema: unknown }[])
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''}) <code>${escapeHtml(JSON.stringify(p.schema))}</code></li>`)
        .join('');
      const content = (op.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content;
      const body = content
        ? Object.entries(content)
            .map(([type, c]) => `<details><summary>Body (${escapeHtml(type)})</summary><pre>${escapeHtml(JSON.stringify(c.schema, null, 2))}</pre></details>`)
            .join('')
        : '';
      const html = `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
        <p>${escapeHtml(String(op.summary))}. <em>${escapeHtml(String(op.description))}</em></p>
        ${params ? `<ul>${params}</ul>` : ''}${body}</section>`;
      const tag = (op.tags as string[])[0];
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CRM API</title><style>
body{font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif;max-width:960px;margin:0 auto;padding:16px;color:#222}
section{border:1px solid #e5e5e5;border-radius:6px;padding:8px 12px;margin:8px 0}h3{margin:4px 0;font-size:15px}
.m{display:inline-block;min-width:60px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.get{background:#1677ff}.post{background:#52c41a}.patch,.put{background:#fa8c16}.delete{background:#f5222d}
pre{background:#f6f8fa;padding:8px;overflow:auto}code{word-break:break-all}</style></head><body>
<h1>CRM API</h1><p>${escapeHtml(spec.info.description)}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${escapeHtml(t)}">${escapeHtml(t)}</a>`).join(' · ')}</nav>${sections}</body></html>`;
}

import type { Router } from 'express';
import Joi from 'joi';
import request from 'supertest';
import { apiRouters } from '../../src/routes';
import { openApiPath } from '../../src/modules/api-docs/openapi';
import { queueBoardRouters } from '../../src/modules/queue-board/queue-board.router';
import { accountResolver } from '../../src/modules/auth/account-resolver';
import { createMailer } from '../../src/lib/mailer';
import { FileAccess } from '../../src/modules/files/file-access';
import { createAnalyticsWriter } from '../../src/modules/analytics/event-writer';
import type { AppContext } from '../../src/context';
import { createUser, signIn } from '../factories/users.factory';
import { createSessionDoc, createTemplate } from '../factories/sessions.factory';
import { uploadCapture } from '../helpers/captures';
import { notifyUser } from '../../src/modules/notifications/notifications.service';
import { notificationPageReply } from '../../src/modules/notifications/notifications.schemas';
import { captureReply } from '../../src/modules/photos/photos.schemas';
import { templatePageReply, templateReply } from '../../src/modules/templates/templates.schemas';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('api_docs');

type Json = { properties?: Record<string, Json> } & Record<string, unknown>;

interface StackLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route of a router as Express holds it: its own layer stack, not our route records. */
function expressRoutes(router: Router): { method: string; path: string }[] {
  return (router.stack as StackLayer[]).flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((method) => ({ method, path: layer.route!.path }))
      : [],
  );
}

describe('the API document', () => {
  it('every route mounted under /api (walked from the Express router stacks) is in /api/openapi.json with its auth and error statuses', async () => {
    const res = await request(ctx.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; security?: unknown; 'x-auth': string }>
      >;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const appContext: AppContext = {
      ...ctx,
      mailer: createMailer(ctx.config, ctx.logger),
      fileAccess: new FileAccess(),
      resolveAccount: accountResolver(ctx.config),
      startedAt: new Date(),
      analytics: createAnalyticsWriter(ctx.config, ctx.logger),
    };
    const routers = [...apiRouters(appContext), queueBoardRouters(appContext).api];
    let checked = 0;
    for (const router of routers) {
      for (const { method, path } of expressRoutes(router.router)) {
        const relative = `${router.prefix}${path === '/' ? '' : path}` || '/';
        const full = `/api${openApiPath(relative)}`;
        const operation = doc.paths[full]?.[method];
        expect([method, full, operation !== undefined]).toEqual([method, full, true]);
        const record = router.routes.find((r) => r.method === method && r.path === relative);
        expect(record).toBeDefined();
        expect(operation!['x-auth']).toBe(record!.spec.auth);
        expect(operation!.responses['400']).toBeDefined();
        if (record!.spec.auth !== 'public') {
          expect(operation!.responses['401']).toBeDefined();
          if (record!.spec.auth !== 'optional') expect(operation!.security).toBeDefined();
        }
        if (record!.spec.auth === 'admin') {
          expect(operation!.responses[String(record!.spec.adminDenied ?? 403)]).toBeDefined();
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('documents request bodies from the joi schemas, and a documented-invalid body gets 400', async () => {
    const doc = (await request(ctx.app).get('/api/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { required?: string[]; properties?: Record<string, unknown> } }
              >;
            };
          }
        >
      >;
    };
    const user = await signIn(ctx, await createUser());
    const sessionBody =
      doc.paths['/api/sessions']?.post?.requestBody?.content['application/json']?.schema;
    expect(sessionBody?.properties).toHaveProperty('templateId');
    // A body the document says is wrong: an unknown property, and a wrongly typed one.
    const wrongType = await request(ctx.app)
      .post('/api/sessions')
      .set('Authorization', user.auth)
      .send({ sessionName: 12345, templateId: { not: 'a string' } });
    expect(wrongType.status).toBe(400);
    const notifications = doc.paths['/api/notifications/mark-read']?.post;
    expect(notifications?.requestBody).toBeDefined();
    const badMark = await request(ctx.app)
      .post('/api/notifications/mark-read')
      .set('Authorization', user.auth)
      .send({ notificationId: 'not-an-object-id' });
    expect(badMark.status).toBe(400);
  });

  it('documents what the most-used routes reply in `data`, and their real replies match it', async () => {
    const doc = (await request(ctx.app).get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const dataSchema = (path: string, method: string, status: string) =>
      (
        doc.paths[path]?.[method]?.responses[status] as
          { content: { 'application/json': { schema: { allOf?: Json[] } } } } | undefined
      )?.content['application/json'].schema.allOf?.[1]?.properties?.data;
    expect(dataSchema('/api/templates', 'get', '200')?.properties).toHaveProperty('templates');
    expect(dataSchema('/api/templates/{id}', 'get', '200')?.properties).toHaveProperty('template');
    expect(dataSchema('/api/notifications', 'get', '200')?.properties).toHaveProperty(
      'unreadCount',
    );
    expect(dataSchema('/api/photos/upload', 'post', '201')?.properties).toHaveProperty('photo');

    // Real replies, checked against the same joi schemas (no unknown or missing fields).
    const user = await signIn(ctx, await createUser());
    const template = await createTemplate(ctx.storage);
    await notifyUser(user.id, { title: 'Hi', message: 'There', type: 'system' });
    const session = await createSessionDoc(user.id, { templateId: String(template._id) });
    const replies: Array<[Joi.Schema, { status: number; body: { data: unknown } }]> = [
      [templatePageReply, await request(ctx.app).get('/api/templates?limit=12')],
      [
        Joi.object({ template: templateReply.required() }),
        await request(ctx.app).get(`/api/templates/${String(template._id)}`),
      ],
      [
        notificationPageReply,
        await request(ctx.app).get('/api/notifications').set('Authorization', user.auth),
      ],
      [captureReply, await uploadCapture(ctx, user, String(session._id), 1, '#123456')],
    ];
    for (const [schema, res] of replies) {
      expect(res.status).toBeLessThan(300);
      expect(schema.validate(res.body.data, { abortEarly: false }).error?.details).toBeUndefined();
    }
  });

  it('serves Swagger UI with its own assets (no CDN)', async () => {
    const page = await request(ctx.app).get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    const init = await request(ctx.app).get('/api/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('/api/openapi.json');
    const bundle = await request(ctx.app).get('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });
});

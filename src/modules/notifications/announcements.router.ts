import Joi from 'joi';
import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { idParams, pageFields } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import {
  ANNOUNCEMENT_AUDIENCES,
  ANNOUNCEMENT_STATUSES,
  type AnnouncementAudience,
  type AnnouncementStatus,
} from '../../models';
import {
  getAnnouncement,
  listAnnouncements,
  sendAnnouncement,
  type AnnouncementInput,
  type AnnouncementListQuery,
} from './announcements.service';

const announcementBody = Joi.object<AnnouncementInput, true>({
  title: Joi.string().trim().min(1).max(200).required(),
  message: Joi.string().trim().min(1).max(2000).required(),
  audience: Joi.string()
    .valid(...ANNOUNCEMENT_AUDIENCES)
    .required() as Joi.StringSchema<AnnouncementAudience>,
  // A client route (/pricing) or an absolute http(s) URL.
  link: Joi.string()
    .trim()
    .max(2048)
    .pattern(/^(\/(?!\/)|https?:\/\/[^/\s])\S*$/, 'client route or http(s) URL'),
});

const announcementListQuery = Joi.object<AnnouncementListQuery, true>({
  status: Joi.string()
    .valid(...ANNOUNCEMENT_STATUSES)
    .optional() as Joi.StringSchema<AnnouncementStatus>,
  ...pageFields(20),
});

/** System notifications an admin sends to all users or to Pro users (CONTRACT §21); envelope A. */
export function announcementsRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/admin/announcements', envelopeA, ctx.resolveAccount);

  r.post(
    '/',
    {
      auth: 'admin',
      body: announcementBody,
      summary: 'Send a system notification to all users or Pro users (delivered by a job)',
    },
    async ({ user, body }) => ({
      status: 202,
      message: 'Announcement queued; it is delivered in the background',
      data: { announcement: await sendAnnouncement(user, body, ctx) },
    }),
  );

  r.get(
    '/',
    { auth: 'admin', query: announcementListQuery, summary: 'Announcements, newest first' },
    async ({ query }) => ({ data: await listAnnouncements(query) }),
  );

  r.get(
    '/:id',
    { auth: 'admin', params: idParams, summary: 'One announcement: status and delivered count' },
    async ({ params }) => ({ data: { announcement: await getAnnouncement(params.id) } }),
  );

  return r;
}

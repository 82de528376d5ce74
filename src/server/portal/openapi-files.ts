import { FileLimits } from '../../protocol/index.js';

// The chat files' part of the OpenAPI document (files/file-routes.ts). They live beside the
// WebSocket, not under /api/v1, and take a user's session token, not a portal session.

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const fileInfo = {
  type: 'object',
  required: ['id', 'name', 'size', 'type'],
  properties: {
    id: { type: 'string', pattern: FileLimits.idPattern.source },
    name: { type: 'string', maxLength: FileLimits.maxNameLength },
    size: { type: 'integer' },
    type: { type: 'string', description: 'Found in the content; application/octet-stream when not recognised' },
  },
};
const security = [{ sessionToken: [] }];
const servers = [{ url: '/' }];
const unauthorized = error('No session token, or one not valid (-30001)');
const limited = error('Too many uploads or downloads at once or per minute (-40000); see Retry-After');
const user = { type: 'string', minLength: 1, maxLength: 256 };
const holderSilent = error(
  "A call's file, with several nodes: the node holding the call did not answer in time (-20000); see Retry-After",
);

export const filePaths = {
  '/1.0/files': {
    servers,
    post: {
      summary: 'Upload a file into a conversation (the body is the bytes)',
      description:
        'Exactly one of `with`, `group` (repeated) and `conference` names the conversation, as Messaging.history ' +
        'does; a conference only while the caller is in it. The type is found in the content, never taken from the ' +
        'name or Content-Type. A file not sent with a message (msg.send `files`) within 24 h is removed. Answers ' +
        "are readable cross-origin from the app's permitted domains only.",
      security,
      parameters: [
        { name: 'with', in: 'query', schema: user, description: 'The other user of a 1:1' },
        {
          name: 'group',
          in: 'query',
          schema: { type: 'array', items: user, maxItems: 100 },
          style: 'form',
          explode: true,
          description: 'The other members of a group',
        },
        { name: 'conference', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 256 } },
        {
          name: 'name',
          in: 'query',
          required: true,
          schema: { type: 'string', minLength: 1, maxLength: FileLimits.maxNameLength },
          description: 'The file name shown and used for downloads (no control characters)',
        },
      ],
      requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
      responses: {
        '201': { description: 'Stored', content: { 'application/json': { schema: fileInfo } } },
        '400': error('Bad query (-40000); nothing stored'),
        '401': unauthorized,
        '403': error("Not a participant of the conference, or the page's origin is not the app's (-35001)"),
        '413': error("Larger than the app's largest file (-60320) or past the user's quota (-60321); nothing stored"),
        '429': limited,
        '503': holderSilent,
      },
    },
  },
  '/1.0/files/{id}': {
    servers,
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: FileLimits.idPattern.source } },
    ],
    get: {
      summary: "A file's bytes, to members of its conversation",
      description:
        'PNG, JPEG, GIF and WebP are served as their type, inline; everything else as application/octet-stream ' +
        'with Content-Disposition: attachment. Always X-Content-Type-Options: nosniff, ' +
        "Content-Security-Policy: default-src 'none'; sandbox, Cache-Control: private.",
      security,
      responses: {
        '200': { description: 'The bytes', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        '400': error('Not a file id (-40000)'),
        '401': unauthorized,
        '403': error('Not a member of the conversation (-35001)'),
        '404': error('No such file, or removed with its message (-50001)'),
        '429': limited,
        '503': holderSilent,
      },
    },
  },
};

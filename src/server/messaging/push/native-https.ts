import { request } from 'node:https';
import type { PushAgent } from './push-agent.js';

/** Most of an answer read: push services answer in a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpsAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTPS request through the PushAgent (allowlisted host, checked address, one connection
 * bounded by its deadline), also bounded by `timeoutMs` overall; the answer's body is read up to
 * 64 KB. Rejects on a refused target, a network error or the timeout.
 */
export function httpsRequest(
  url: URL,
  init: { method: 'POST'; headers: Record<string, string>; body: string; agent: PushAgent; timeoutMs: number },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(init.body, 'utf8');
    const req = request(url, {
      method: init.method,
      agent: init.agent,
      headers: { ...init.headers, 'content-length': String(body.length) },
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`request took longer than ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    deadline.unref();
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_ANSWER_BYTES) {
          req.destroy(new Error('answer too large'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => {
        clearTimeout(deadline);
        reject(e);
      });
    });
    req.end(body);
  });
}

/** A JSON body, or undefined when it is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** FCM's data payload takes strings only: the payload's fields, each a string (others as JSON). */
export function stringFields(payload: string): Record<string, string> {
  const parsed = jsonOf(payload) as Record<string, unknown> | undefined;
  if (!parsed || typeof parsed !== 'object') return { payload };
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

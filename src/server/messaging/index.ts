import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import type { FileRemover } from '../files/file-service.js';
import type { SendOp } from '../store/messaging-types.js';
import { DeliveryFanout } from './delivery.js';
import { HistoryExpiry } from './history-expiry.js';
import { registerConversationHandlers } from './conversation-handlers.js';
import { registerHistoryHandlers } from './history-handlers.js';
import { InboxWriter } from './inbox-writer.js';
import { registerMessageHandlers } from './message-handlers.js';
import { resolveMessagingOptions, type MessagingOptions } from './options.js';
import { ApnsProvider } from './push/apns-provider.js';
import { Http2Connections } from './push/apns-connections.js';
import { registerDeviceRoutes } from './push/device-routes.js';
import { FcmProvider } from './push/fcm-provider.js';
import { NativePushSettings } from './push/native-credentials.js';
import { PushAgent } from './push/push-agent.js';
import { registerPushHandlers } from './push/push-handlers.js';
import { PushService } from './push/push-service.js';
import { PushThrottle } from './push/push-throttle.js';
import { loadVapidKeys, type VapidKeys } from './push/vapid.js';
import { WebPushProvider } from './push/web-push-provider.js';
import { SendGuard } from './send-guard.js';
import { NewRecipientLimit } from './new-recipient-limit.js';
import { ReceivedSweep } from './received-sweep.js';
import { UndeliveredExpiry } from './undelivered-expiry.js';

export type { MessagingOptions } from './options.js';
export type { StorageOptions } from './storage-options.js';
export type { PushProvider, PushOutcome } from './push/push-provider.js';
export { DEFAULT_PUSH_HOSTS, type PushOptions } from './push/push-options.js';

const SWEEP_INTERVAL_MS = 3600_000;
/** Taken entries are deleted soon after their minute: a busy inbox table stays small. */
const RECEIVED_SWEEP_INTERVAL_MS = 15_000;

/**
 * Durable messaging and push: frame handlers, the group-commit writer, delivery to connections,
 * and the sweep that ends old messages' dedupe window.
 */
export function registerMessaging(
  app: FastifyInstance,
  ctx: ServerContext,
  serverOptions: { dataDir: string; messaging?: MessagingOptions; vapid?: VapidKeys; files?: FileRemover },
): void {
  const options = resolveMessagingOptions(serverOptions.messaging);
  // Given when the nodes share the store (vapid.ts loadVapidKeysFromStore); else the data folder's.
  const vapid = serverOptions.vapid ?? loadVapidKeys(serverOptions.dataDir);
  const fanout = new DeliveryFanout(ctx.connections, ctx.store.messages, ctx.bus, ctx.log);
  const { storage } = options;
  const newRecipients = new NewRecipientLimit(storage.newRecipientsPerWindow, storage.newRecipientWindowMs);
  const limits = {
    inboxQuota: options.inboxQuota,
    senderBytes: storage.senderQuotaBytes,
    appBytes: storage.appQuotaBytes,
    admitSend: (op: SendOp) => newRecipients.admit(op.appId, op.sender, op.to),
  };
  const writer = new InboxWriter(ctx.store.messages, limits, (deliveries) => fanout.publish(deliveries));
  const expiry = new UndeliveredExpiry(
    ctx.store,
    { defaultTtlMs: storage.undeliveredTtlMs, intervalMs: storage.sweepIntervalMs, batchSize: storage.sweepBatchSize },
    ctx.log,
  );
  expiry.start();
  const historyExpiry = new HistoryExpiry(
    ctx.store,
    { intervalMs: storage.sweepIntervalMs, batchSize: storage.sweepBatchSize },
    ctx.log,
  );
  historyExpiry.start();
  const receivedSweep = new ReceivedSweep(
    ctx.store.messages,
    { intervalMs: RECEIVED_SWEEP_INTERVAL_MS, batchSize: storage.sweepBatchSize },
    ctx.log,
  );
  receivedSweep.start();
  const guard = new SendGuard(options, ctx.cluster.rateLimiter);
  const presence = ctx.cluster.presence((appId, uid) => fanout.hasReceiver(appId, uid));
  const pushAgent = new PushAgent({ ...options.push, deadlineMs: options.push.timeoutMs });
  // Native pushes reach only their providers' configured hosts, checked like Web Push's.
  const { native } = options.push;
  const nativeTargets = { ...options.push, allowedHosts: native.allowedHosts };
  const nativeAgent = new PushAgent({ ...nativeTargets, deadlineMs: options.push.timeoutMs });
  const apnsConnections = new Http2Connections(nativeTargets);
  const nativeSettings = new NativePushSettings(ctx.store.pushCredentials);
  const nativeOpts = { timeoutMs: options.push.timeoutMs, log: ctx.log };
  const push = new PushService(
    ctx.store,
    [
      new WebPushProvider(vapid, {
        subject: options.push.subject,
        agent: pushAgent,
        timeoutMs: options.push.timeoutMs,
        log: ctx.log,
      }),
      new FcmProvider(nativeSettings, { ...nativeOpts, endpoints: native.fcm, agent: nativeAgent }),
      new ApnsProvider(nativeSettings, { ...nativeOpts, endpoints: native.apns, connections: apnsConnections }),
      ...options.push.providers,
    ],
    new PushThrottle(options.push, ctx.log),
    options.push.ttlSeconds,
    ctx.log,
  );

  registerMessageHandlers(ctx, { writer, presence, fanout, push, guard, options });
  registerHistoryHandlers(ctx, { writer, guard, files: serverOptions.files });
  registerConversationHandlers(ctx, { guard });
  registerPushHandlers(ctx, {
    push,
    guard,
    publicKey: vapid.publicKey,
    maxSubscriptionsPerUser: options.push.maxSubscriptionsPerUser,
    targets: options.push,
  });
  registerDeviceRoutes(app, ctx, { maxSubscriptionsPerUser: options.push.maxSubscriptionsPerUser });
  ctx.router.onOpen((connection) => {
    fanout.open(connection);
    if (connection.messaging) presence.change(connection.appId, connection.uid, 1);
  });
  ctx.router.onClose((connection) => {
    fanout.close(connection);
    if (connection.messaging) presence.change(connection.appId, connection.uid, -1);
  });

  const sweep = setInterval(() => {
    ctx.store.messages
      .sweep(Date.now() - options.dedupeWindowMs)
      .catch((e: unknown) => ctx.log.warn({ err: String(e) }, 'message sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  // Runs before the store closes: what was accepted is written first.
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await expiry.stop();
    await historyExpiry.stop();
    await receivedSweep.stop();
    await writer.drain();
    pushAgent.destroy();
    nativeAgent.destroy();
    apnsConnections.destroy();
  });
}

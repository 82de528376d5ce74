/** The server paths the SDK calls (the browser takes only these, not every route in Paths). */
export const ApiPaths = {
  /** Client-side login (the spec's redirect flow). The SDK posts a form here. */
  clientLogin: '/1.0/sso/app/login',
  /**
   * Direct login (our addition, used by <oovoo-login mode="direct">): the page exchanges its web
   * token for a session token by a CORS request; only the app's permitted origins get one.
   */
  directLogin: '/1.0/sso/app/login/direct',
  /** Server-to-server login, as the spec's ASP.NET sample calls it. */
  serverLogin: '/1.0/sso/app/login/s2s',
  /** Tells a client why its session token was refused (a refused WebSocket upgrade shows nothing to scripts). */
  sessionVerify: '/1.0/session/verify',
  /** The signaling and messaging WebSocket. */
  socket: '/1.0/ws',
} as const;

/**
 * The script-tag build's scripts added on first use, by file name: each is served beside both SDK
 * script paths (`/` and `/webrtc/`), and the SDK script adds it from its own folder.
 */
export const ChunkFiles = {
  /** webrtc-adapter, added where a browser needs it. */
  adapter: 'oovoo-adapter.min.js',
  /** What a plain call does not need (participant panel, reactions, ...), loaded by the elements on first use. */
  extras: 'oovoo-extras.min.js',
  /** <oovoo-chat>, added when a page has one. */
  chat: 'oovoo-chat.min.js',
  /** <oovoo-prejoin>, added when a page or an `<oovoo-conference prejoin>` shows one. */
  prejoin: 'oovoo-prejoin.min.js',
  /** <oovoo-conversations>, added when a page has one. */
  conversations: 'oovoo-conversations.min.js',
  /** The SDK's media extras (SFU topology, stats readers, call monitor). */
  call: 'oovoo-call.min.js',
  /** The SDK's messaging extras (inbox, sends, Web Push). */
  messaging: 'oovoo-messaging.min.js',
  /** The SDK's client-side logins (redirect, popup and direct sign-in, a refusal's reason). */
  login: 'oovoo-login.min.js',
} as const;

/** HTTP paths and WebSocket names both sides agree on: the API, the scripts, the language packs. */
export const Paths = {
  ...ApiPaths,
  /** The self-contained SDK script, under our name and the spec's. */
  script: '/oovoo.min.js',
  specScript: '/webrtc/oovoosdk-2.1.1.min.js',
  /** Native apps register (POST) and withdraw (DELETE) a phone's push device token. */
  pushDevices: '/1.0/push/devices',
  /** Each of ChunkFiles beside each SDK script path. */
  adapterScript: `/${ChunkFiles.adapter}`,
  specAdapterScript: `/webrtc/${ChunkFiles.adapter}`,
  extrasScript: `/${ChunkFiles.extras}`,
  specExtrasScript: `/webrtc/${ChunkFiles.extras}`,
  chatScript: `/${ChunkFiles.chat}`,
  specChatScript: `/webrtc/${ChunkFiles.chat}`,
  prejoinScript: `/${ChunkFiles.prejoin}`,
  specPrejoinScript: `/webrtc/${ChunkFiles.prejoin}`,
  conversationsScript: `/${ChunkFiles.conversations}`,
  specConversationsScript: `/webrtc/${ChunkFiles.conversations}`,
  callScript: `/${ChunkFiles.call}`,
  specCallScript: `/webrtc/${ChunkFiles.call}`,
  messagingScript: `/${ChunkFiles.messaging}`,
  specMessagingScript: `/webrtc/${ChunkFiles.messaging}`,
  loginScript: `/${ChunkFiles.login}`,
  specLoginScript: `/webrtc/${ChunkFiles.login}`,
  /** The elements' language packs (`<lang>.json`), fetched on demand from beside each SDK script path. */
  langPacks: '/lang/',
  specLangPacks: '/webrtc/lang/',
  health: '/healthz',
} as const;

/** The WebSocket subprotocol; the session token travels as a second one so it never sits in a URL. */
export const SUBPROTOCOL = 'oovoo.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'oovoo.token.';

/** Close codes in the private range, so a client knows why the server closed. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  UnsupportedData: 1003,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  /** A conference this socket is in moved to another server node: reconnect, and the room is taken again there. */
  ServiceRestart: 1012,
  /** The server is overloaded by this socket (a reader too slow for what it is sent): reconnect later. */
  TryAgainLater: 1013,
  /**
   * The session ended while connected: its token expired, the app token that issued it was revoked, or
   * the app was blocked. For the last two an error frame (-30001, -30004) comes first. Final: no reconnect.
   */
  SessionEnded: 4001,
  /** Another connection replaced this one. */
  Replaced: 4002,
  /** No pong within the timeout. */
  PingTimeout: 4003,
} as const;

export const Limits = {
  /** Largest WebSocket frame the server accepts, in bytes. */
  maxFrameBytes: 64 * 1024,
  /** Largest login request body, in bytes. */
  maxLoginBodyBytes: 8 * 1024,
  /** Longest user id, in characters. */
  maxUserIdLength: 256,
  /** Longest callback URL, in characters. */
  maxCallbackUrlLength: 2048,
} as const;

export type Environment = 'sandbox' | 'production';
export type TokenType = 'web' | 'native';
/** Which environments may use client-side (redirect) login for an app. */
export type ClientLoginPolicy = 'all' | 'sandbox' | 'none';

/**
 * What every framework page reads from its address, so one build serves any user:
 * `?token=<the app's web token>&user=<user id>&name=<display name>&conf=<conference id>&server=<server URL>`.
 * Without `user`, <oovoo-login> shows its sign-in form; without `server`, the page's own origin is the server.
 */
export interface PageConfig {
  readonly appToken: string;
  readonly userId: string;
  readonly displayName: string;
  readonly conferenceId: string;
  readonly server: string;
}

export function pageConfig(search: string = location.search): PageConfig {
  const params = new URLSearchParams(search);
  return {
    appToken: params.get('token') ?? '',
    userId: params.get('user') ?? '',
    displayName: params.get('name') ?? params.get('user') ?? '',
    conferenceId: params.get('conf') ?? 'frameworks-demo',
    server: params.get('server') ?? '',
  };
}

import { html } from 'lit';
import type { LoginStrings } from './login-strings.js';

/** <oovoo-login> as its form sees it: what a sign-in sets. */
export interface LoginFormHost {
  userId: string;
  displayName: string;
}

/**
 * The built-in sign-in form of an `<oovoo-login>` without a user id (with the extras: a page that
 * names its user, the usual case, never loads it). Submitting sets the user, which signs in.
 */
export function renderLoginForm(el: LoginFormHost, t: (key: keyof LoginStrings) => string) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const userId = String(data.get('userId') ?? '').trim();
    if (!userId) return;
    el.displayName = String(data.get('displayName') ?? '').trim();
    el.userId = userId;
  };
  return html`<form part="form" @submit=${submit} aria-label=${t('signIn')}>
    <label>${t('userIdLabel')}<input part="input" name="userId" autocomplete="username" required /></label>
    <label>${t('displayNameLabel')}<input part="input" name="displayName" autocomplete="name" /></label>
    <button part="button" type="submit">${t('signIn')}</button>
  </form>`;
}

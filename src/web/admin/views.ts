import { html, page } from '../html.js';

export interface SignInForm {
  /** The form's half of the double-submit token. */
  token: string;
  /** Where to go once signed in. */
  next: string;
  account?: string;
  error?: string;
  /** No password is configured: only sign-in links work. */
  linkOnly: boolean;
}

const linkHint = html`<p class="muted">On the server, <code>paperboy admin link</code> prints a one-time sign-in link.</p>`;

export function signInPage(form: SignInForm): string {
  if (form.linkOnly) {
    return page('Sign in', html`<h1>Sign in</h1><p>Password sign-in is off (no <code>admin.passwordHash</code> is set).</p>${linkHint}`, { noindex: true });
  }
  const error = form.error ? html`<p class="error" role="alert" id="form-error">${form.error}</p>` : '';
  const invalid = form.error ? html` aria-describedby="form-error" aria-invalid="true"` : '';
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
${error}<form method="post" action="/admin/login">
<input type="hidden" name="_csrf" value="${form.token}">
<input type="hidden" name="next" value="${form.next}">
<label for="account">Account</label>
<input id="account" name="account" type="text" autocomplete="username" required maxlength="100" value="${form.account ?? ''}"${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${invalid}>
<button type="submit">Sign in</button>
</form>
${linkHint}`,
    { noindex: true },
  );
}

export const linkRefusedPage = (): string =>
  page(
    'Sign-in link refused',
    html`<h1>That sign-in link does not work</h1><p>It was used already, has expired or is not whole.</p><p class="muted">Ask for a new one on the server: <code>paperboy admin link</code>.</p>`,
    { noindex: true },
  );

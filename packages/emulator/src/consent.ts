import type { Request, RequestHandler, Response } from 'express';
import { escapeHtml, page, sendErrorPage, sendHtml } from './html';
import { readForm, redirect } from './http';
import { ExpiringMap, randomToken, type Clock } from './state';
import type { EmulatorEndpoint, ProviderName } from './types';

export const CONSENT_PATH = '/__emulator/consent';
const CONSENT_TTL_MS = 10 * 60 * 1000;

export interface ConsentUser {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

export type ConsentDecision = { approved: true; userId: string } | { approved: false };

/** What a provider hands over once it has validated an authorization request. */
export interface ConsentRequest {
  readonly provider: ProviderName;
  readonly appName: string;
  readonly scopes: readonly { scope: string; description?: string }[];
  readonly users: readonly ConsentUser[];
  readonly selectedUserId?: string;
  /** The URL the browser goes to next: the client's redirect_uri with a code or an error. */
  complete(decision: ConsentDecision): string | Promise<string>;
}

const PROVIDER_LABELS: Record<ProviderName, string> = { google: 'Google' };

type Count = (provider: ProviderName, endpoint: EmulatorEndpoint) => void;

/**
 * The account chooser and consent screen every provider shares. The pending request stays on
 * the server under an unguessable, single-use `tx` id, so the form carries nothing the browser
 * could tamper with (redirect_uri, scopes, PKCE challenge).
 */
export class ConsentFlow {
  private readonly pending: ExpiringMap<ConsentRequest>;

  constructor(
    now: Clock,
    private readonly count: Count,
  ) {
    this.pending = new ExpiringMap(now);
  }

  show(res: Response, request: ConsentRequest): void {
    const tx = randomToken();
    this.pending.set(tx, request, CONSENT_TTL_MS);
    sendHtml(res, 200, renderConsentPage(tx, request));
  }

  readonly handler: RequestHandler = async (req: Request, res: Response) => {
    const form = await readForm(req);
    const params = form.ok ? form.params : undefined;
    const request = this.pending.take(params?.get('tx') ?? '');
    const provider = request?.provider ?? asProvider(params?.get('provider'));
    if (provider) this.count(provider, 'consent');
    if (!form.ok) return sendErrorPage(res, 400, 'invalid_request', form.description);
    if (!request) {
      const message = 'This sign-in request has expired or was already used. Start again.';
      return sendErrorPage(res, 400, 'invalid_request', message);
    }
    const action = form.params.get('action');
    if (action === 'deny') return redirect(res, await request.complete({ approved: false }));
    if (action !== 'approve') {
      return sendErrorPage(res, 400, 'invalid_request', 'Choose Approve or Deny.');
    }
    const userId = form.params.get('user');
    if (!userId || !request.users.some((user) => user.id === userId)) {
      return sendErrorPage(res, 400, 'invalid_request', 'Choose one of the listed accounts.');
    }
    redirect(res, await request.complete({ approved: true, userId }));
  };
}

function asProvider(value: string | undefined): ProviderName | undefined {
  return value === 'google' ? value : undefined;
}

export function renderConsentPage(tx: string, request: ConsentRequest): string {
  const selected = request.selectedUserId ?? request.users[0]?.id;
  const users = request.users
    .map((user) => {
      const checked = user.id === selected ? ' checked' : '';
      const email = user.email ? ` <span class="email">${escapeHtml(user.email)}</span>` : '';
      return (
        `<label class="user"><input type="radio" name="user" value="${escapeHtml(user.id)}"` +
        `${checked} required> <span class="name">${escapeHtml(user.name)}</span>${email}</label>`
      );
    })
    .join('\n');
  const scopes = request.scopes
    .map(({ scope, description }) => {
      const text = description ? `${escapeHtml(description)} ` : '';
      return `<li>${text}<code>${escapeHtml(scope)}</code></li>`;
    })
    .join('\n');
  const app = escapeHtml(request.appName);
  return page(
    `Sign in to ${request.appName}`,
    `<h1>Sign in to <strong>${app}</strong></h1>
<p>Emulated ${PROVIDER_LABELS[request.provider]} sign-in. <strong>${app}</strong> asks for:</p>
<ul class="scopes">
${scopes}
</ul>
<form method="post" action="${CONSENT_PATH}">
<input type="hidden" name="tx" value="${escapeHtml(tx)}">
<input type="hidden" name="provider" value="${escapeHtml(request.provider)}">
<fieldset>
<legend>Choose an account</legend>
${users || '<p>No test accounts are configured.</p>'}
</fieldset>
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}

/** A notification to POST to an app, in the provider's wire format. */
export interface Notification {
  headers: Record<string, string>;
  /** `application/x-www-form-urlencoded` (Kakao, Naver), or `application/json` (Apple). */
  body: URLSearchParams | { readonly json: unknown };
}

/** POSTs the notification to the app; resolves to the app's status. */
export async function deliver(to: string, notification: Notification): Promise<number> {
  const { body } = notification;
  const form = body instanceof URLSearchParams;
  const res = await fetch(to, {
    method: 'POST',
    headers: {
      ...notification.headers,
      'Content-Type': form
        ? 'application/x-www-form-urlencoded;charset=utf-8'
        : 'application/json; charset=utf-8',
    },
    body: form ? body.toString() : JSON.stringify(body.json),
    redirect: 'manual', // no provider follows redirects
    signal: AbortSignal.timeout(3000), // Kakao's documented limit
  });
  await res.arrayBuffer();
  return res.status;
}

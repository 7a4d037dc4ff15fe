/** A notification to POST to an app, in the provider's wire format. */
export interface Notification {
  headers: Record<string, string>;
  /** `application/x-www-form-urlencoded`. */
  body: URLSearchParams;
}

/** POSTs the notification to the app; resolves to the app's status. */
export async function deliver(to: string, notification: Notification): Promise<number> {
  const res = await fetch(to, {
    method: 'POST',
    headers: {
      ...notification.headers,
      'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
    },
    body: notification.body.toString(),
    redirect: 'manual', // neither provider follows redirects
    signal: AbortSignal.timeout(3000), // Kakao's documented limit
  });
  await res.arrayBuffer();
  return res.status;
}

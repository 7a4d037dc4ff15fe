// Starting safely: never by accident in production, never silently on the network, and an origin
// that names the address really bound.
import { startEmulator, type Emulator } from '../src';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function start(options: Parameters<typeof startEmulator>[0]) {
  const warnings: string[] = [];
  const emulator = await startEmulator({
    port: 0,
    ...options,
    logger: { warn: (m) => warnings.push(m) },
  });
  running.push(emulator);
  return { emulator, warnings };
}

describe('NODE_ENV=production', () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  it('refuses to start, saying why, unless allowInProduction is passed', async () => {
    process.env.NODE_ENV = 'production';
    const refused = startEmulator({ port: 0 });
    await expect(refused).rejects.toThrow(/NODE_ENV=production/);
    await expect(refused).rejects.toThrow(/public defaults/);
    await expect(refused).rejects.toThrow(/allowInProduction: true/);
    const { emulator } = await start({ allowInProduction: true });
    expect((await fetch(`${emulator.origin}/.well-known/openid-configuration`)).status).toBe(200);
  });
});

describe('binding', () => {
  it('on loopback: no warning', async () => {
    expect((await start({ host: '127.0.0.1' })).warnings).toEqual([]);
    expect((await start({ host: '::1' })).warnings).toEqual([]);
  });

  it.each([
    ['0.0.0.0', '0.0.0.0', 'http://127.0.0.1'],
    ['::', '[::]', 'http://[::1]'],
  ])(
    'on %s: warns that the network can reach it; origin is loopback',
    async (host, shown, base) => {
      const { emulator, warnings } = await start({ host });
      const port = new URL(emulator.origin).port;
      expect(emulator.origin).toBe(`${base}:${port}`);
      expect(Number(port)).toBeGreaterThan(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`bound to ${shown}:${port}`);
      expect(warnings[0]).toMatch(/reachable from the network/);
      const res = await fetch(`${emulator.origin}/.well-known/openid-configuration`);
      const doc = (await res.json()) as { issuer: string; token_endpoint: string };
      expect(doc.token_endpoint).toBe(`${emulator.origin}/token`);
    },
  );

  it("'localhost' and a mapped IPv4 address: the address really bound, IPv6 in brackets", async () => {
    const local = (await start({ host: 'localhost' })).emulator;
    expect(local.origin).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/);
    expect(new URL(local.origin).port).not.toBe('0');
    const mapped = await start({ host: '::ffff:127.0.0.1' });
    expect(mapped.emulator.origin).toMatch(
      /^http:\/\/\[::ffff:7f00:1\]:\d+$|^http:\/\/\[::ffff:127\.0\.0\.1\]:\d+$/,
    );
    expect(mapped.warnings).toEqual([]);
    for (const e of [local, mapped.emulator]) {
      expect(URL.canParse(e.origin)).toBe(true);
      expect((await fetch(`${e.origin}/.well-known/openid-configuration`)).status).toBe(200);
    }
  });
});

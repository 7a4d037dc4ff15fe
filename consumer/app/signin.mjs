// An ES module consumer: every package through import. It starts the emulator, mounts socialAuth
// with the three providers pointed at it and signs in with each over real HTTP (drive.cjs).
import express from 'express';
import { requireAuth, socialAuth } from '@socialauth/core';
import { DEFAULT_CLIENTS, approveConsent, startEmulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import * as drive from './drive.cjs';

const PACKAGES = ['core', 'google', 'naver', 'kakao', 'emulator'].map((p) => `@socialauth/${p}`);

drive.reportResolved(
  Object.fromEntries(['express', ...PACKAGES].map((name) => [name, import.meta.resolve(name)])),
);
const emulator = await startEmulator({ port: 0 });
const app = express();
const { server, baseURL } = await drive.listen(app);
try {
  const { lines, logger } = drive.memoryLogger();
  const origin = emulator.origin;
  app.use(
    socialAuth({
      baseURL,
      secret: drive.SECRET,
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin }),
        naver({ ...DEFAULT_CLIENTS.naver, origin }),
        kakao({ ...DEFAULT_CLIENTS.kakao, origin }),
      ],
      redirects: { afterLogin: drive.AFTER_LOGIN },
      logger,
    }),
  );
  app.get('/me', requireAuth(), (req, res) => {
    res.json({ id: req.user.id });
  });
  await drive.signInEach({ baseURL, emulator, approveConsent, logLines: lines });
} finally {
  await drive.close(server, emulator);
}

// A CommonJS consumer: every package through require(). It starts the emulator, mounts socialAuth
// with the three providers pointed at it and signs in with each over real HTTP (drive.cjs).
'use strict';
/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- the point of this app */

const express = require('express');
const { requireAuth, socialAuth } = require('@socialauth/core');
const { DEFAULT_CLIENTS, approveConsent, startEmulator } = require('@socialauth/emulator');
const { google } = require('@socialauth/google');
const { kakao } = require('@socialauth/kakao');
const { naver } = require('@socialauth/naver');
const drive = require('./drive.cjs');

const PACKAGES = ['core', 'google', 'naver', 'kakao', 'emulator'].map((p) => `@socialauth/${p}`);

async function main() {
  drive.reportResolved(
    Object.fromEntries(['express', ...PACKAGES].map((name) => [name, require.resolve(name)])),
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
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

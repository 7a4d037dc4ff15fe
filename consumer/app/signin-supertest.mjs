// An app developer's own test: the app as signin.mjs mounts it, signed in with the emulator's
// one-call `emulator.signIn(agent, { provider })` on a supertest agent (real HTTP, no mocks).
import express from 'express';
import { requireAuth, socialAuth } from '@socialauth/core';
import { DEFAULT_CLIENTS, approveConsentResponse, startEmulator } from '@socialauth/emulator';
import { apple } from '@socialauth/apple';
import { github } from '@socialauth/github';
import { microsoft } from '@socialauth/microsoft';
import { line } from '@socialauth/line';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import supertest from 'supertest';
import { run } from './drive.cjs';

await run(
  {
    express,
    core: { requireAuth, socialAuth },
    emulatorPackage: { DEFAULT_CLIENTS, approveConsentResponse, startEmulator },
    google: { google },
    naver: { naver },
    kakao: { kakao },
    apple: { apple },
    github: { github },
    microsoft: { microsoft },
    line: { line },
    supertest,
  },
  (name) => import.meta.resolve(name),
);

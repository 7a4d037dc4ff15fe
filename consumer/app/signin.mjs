// An ES module consumer: every package through import, by name (so the ES builds' named exports
// are what is tested). drive.cjs starts the emulator, mounts socialAuth with the seven providers
// pointed at it and signs in with each over real HTTP.
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
  },
  (name) => import.meta.resolve(name),
);

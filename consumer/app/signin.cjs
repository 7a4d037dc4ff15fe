// A CommonJS consumer: every package through require(). It starts the emulator, mounts socialAuth
// with the seven providers pointed at it and signs in with each over real HTTP (drive.cjs).
'use strict';
/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- the point of this app */

const express = require('express');
const core = require('@socialauth/core');
const emulatorPackage = require('@socialauth/emulator');
const google = require('@socialauth/google');
const kakao = require('@socialauth/kakao');
const naver = require('@socialauth/naver');
const apple = require('@socialauth/apple');
const github = require('@socialauth/github');
const microsoft = require('@socialauth/microsoft');
const line = require('@socialauth/line');
const { run } = require('./drive.cjs');

run(
  { express, core, emulatorPackage, google, naver, kakao, apple, github, microsoft, line },
  (name) => require.resolve(name),
).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

// The README's tables are what users configure and branch on: each one must say exactly what the
// code has. Error codes against ERROR_CODES, routes against what the router registers, options
// against SocialAuthConfig's fields, each provider's options table against its options interface.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { google } from '@socialauth/google';
import * as core from '../src';
import { ERROR_CODES, socialAuth } from '../src';

const ROOT = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const README = read('README.md');

/** The first table after `heading` (or after the first line containing it), as rows of cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const from = markdown.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(from).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines
    .slice(start + 2, end) // the header and its separator
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

/** The `code` spans of a cell. */
const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map(([, code]) => code!);

test('the README lists exactly the error codes, with their statuses', () => {
  const rows = tableAfter(README, '### Error codes').map(([code, status]) => [
    codes(code!)[0],
    Number(status),
  ]);
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status])),
  );
  expect(rows).toHaveLength(Object.keys(ERROR_CODES).length);
});

// ---------------------------------------------------------------------------------------------
// Routes

interface RouteLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: RouteLayer[] };
}

/** `GET /auth/session`, ... for every route the router registers (under the default basePath). */
function registeredRoutes(): string[] {
  const plugin = google({ clientId: 'id', clientSecret: 'secret' });
  const router = socialAuth({
    baseURL: 'http://localhost:3000',
    secret: 'readme-test-secret-0123456789abcdef',
    providers: [plugin],
    logger: false,
  }) as unknown as { stack: RouteLayer[] };
  const auth = router.stack.find((layer) => layer.handle.stack)!.handle.stack!;
  const routes = new Set<string>();
  for (const { route } of auth) {
    if (!route) continue;
    // `all` layers are the rate limiter in front of routes registered on their own.
    for (const method of Object.keys(route.methods).filter((m) => m !== '_all')) {
      for (const path of [route.path].flat()) routes.add(`${method.toUpperCase()} /auth${path}`);
    }
  }
  return [...routes].sort();
}

/**
 * The routes a cell names: `GET /auth/:provider?next=/path` is `GET /auth/:provider`, a bare
 * `/auth/providers` takes the method before it, and other spans (`action=confirm`) are not routes.
 */
function routesIn(cell: string): string[] {
  let method = '';
  return codes(cell).flatMap((span) => {
    const match = /^(?:(GET|POST) )?(\/auth[^?\s]*)/.exec(span);
    if (!match) return [];
    method = match[1] ?? method;
    return [`${method} ${match[2]}`];
  });
}

test('the README route table lists exactly the routes the router registers', () => {
  const listed = tableAfter(README, '### Routes').flatMap(([route]) => routesIn(route!));
  expect(registeredRoutes()).toContain('POST /auth/:provider/token');
  expect([...new Set(listed)].sort()).toEqual(registeredRoutes());
  expect(listed).toHaveLength(new Set(listed).size);
});

test('every route the headless API table names is registered', () => {
  const listed = tableAfter(README, '## Headless JSON API').flatMap(([route]) => routesIn(route!));
  expect(listed.length).toBeGreaterThan(5);
  expect(listed.filter((route) => !registeredRoutes().includes(route))).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Options

/** Every interface and type alias in `files`, by name. */
function declarations(files: string[]) {
  const found = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  for (const file of files) {
    const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
        found.set(node.name.text, node);
      }
    });
  }
  return found;
}

/**
 * The option names of interface `name`: inherited ones included, and the fields of an inline
 * object type as `parent.field` (`session.store`), as the README's tables name them.
 */
function optionNames(name: string, files: string[]): string[] {
  const found = declarations(files);
  const members = (decl: ts.InterfaceDeclaration): ts.TypeElement[] => [
    ...(decl.heritageClauses ?? [])
      .flatMap((clause) =>
        clause.types.map((type) => {
          const parent = found.get(type.expression.getText());
          if (!parent || !ts.isInterfaceDeclaration(parent)) {
            throw new Error(`${name} extends ${type.expression.getText()}: not found in ${files}`);
          }
          return parent;
        }),
      )
      .flatMap(members),
    ...decl.members,
  ];
  const names = (elements: readonly ts.TypeElement[], prefix: string): string[] =>
    elements.flatMap((member) => {
      if (ts.isMethodSignature(member)) return [`${prefix}${member.name.getText()}`];
      if (!ts.isPropertySignature(member)) return [];
      const key = `${prefix}${member.name.getText()}`;
      return member.type && ts.isTypeLiteralNode(member.type)
        ? names(member.type.members, `${key}.`)
        : [key];
    });
  const decl = found.get(name);
  if (!decl || !ts.isInterfaceDeclaration(decl)) throw new Error(`${name} not found in ${files}`);
  return names(members(decl), '').sort();
}

test("the README's options table and its required options are SocialAuthConfig's fields", () => {
  const defaulted = tableAfter(README, 'Every option but').map(([option]) => codes(option!)[0]!);
  const sentence = README.slice(README.indexOf('Every option but')).split('\n')[0]!;
  const required = codes(sentence.slice(0, sentence.indexOf('has a default')));
  expect(required).toEqual(['baseURL', 'secret', 'providers']);
  expect([...required, ...defaulted].sort()).toEqual(
    optionNames('SocialAuthConfig', ['packages/core/src/config.ts']),
  );
});

test.each([
  ['google', 'GoogleOptions'],
  ['naver', 'NaverOptions'],
  ['kakao', 'KakaoOptions'],
])("packages/%s/README.md's options table is %s's fields", (provider, name) => {
  const readme = read(`packages/${provider}/README.md`);
  const listed = tableAfter(readme, '| option').map(([option]) => codes(option!)[0]!);
  expect(listed.sort()).toEqual(
    optionNames(name, [`packages/${provider}/src/index.ts`, 'packages/core/src/contract.ts']),
  );
});

test("the core README's ProviderPlugin list names every member of ProviderPlugin", () => {
  const section = read('packages/core/README.md').split('## Providers')[1]!;
  const bullets = section.split('\n').filter((line) => line.startsWith('- '));
  const named = bullets.flatMap((line) =>
    [...line.matchAll(/(?:^- |\band )`([a-zA-Z]+)(?:\([^)]*\))?`/g)].map(([, name]) => name!),
  );
  expect(named.sort()).toEqual(optionNames('ProviderPlugin', ['packages/core/src/contract.ts']));
});

test("the emulator README's count() endpoints are EmulatorEndpoint's members", () => {
  const readme = read('packages/emulator/README.md');
  const line = readme.slice(readme.indexOf('`count(provider, endpoint)`'));
  const listed = codes(line.slice(line.indexOf('counts requests ('), line.indexOf('), rejected')));
  const alias = declarations(['packages/emulator/src/types.ts']).get('EmulatorEndpoint');
  if (!alias || !ts.isTypeAliasDeclaration(alias) || !ts.isUnionTypeNode(alias.type)) {
    throw new Error('EmulatorEndpoint is not a union');
  }
  const members = alias.type.types.map((type) => type.getText().slice(1, -1));
  expect(listed.sort()).toEqual(members.sort());
});

test('the core README names every runtime export of @socialauth/core', () => {
  const readme = read('packages/core/README.md');
  const named = new Set(codes(readme).map((span) => /^[A-Za-z_][A-Za-z0-9_]*/.exec(span)?.[0]));
  expect(Object.keys(core).filter((name) => !named.has(name))).toEqual([]);
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { useServer } from '../../support/serverProcess.js';
import { joinSession, leaveQuietly } from '../../support/session.js';
import { nextMessage } from '../../support/rooms.js';
import { bearer } from '../../support/auth.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ADMIN = 'deploy-metrics-admin-token-0123456789';
const DASHBOARD = 'deploy/grafana/deepstream.dashboard.json';
const ALERTS = 'deploy/prometheus/alerts.yml';

/** One PromQL expression and where it was found, for the failure message. */
interface Query {
  where: string;
  expr: string;
}

/** Every query of the dashboard: each panel's targets (rows included) and the template variables' queries. */
function dashboardQueries(): Query[] {
  const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, DASHBOARD), 'utf8'));
  const out: Query[] = [];
  type Panel = { title?: string; targets?: Array<{ refId: string; expr: string }>; panels?: Panel[] };
  const visit = (panels: Panel[] | undefined) => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) out.push({ where: `${DASHBOARD} panel "${panel.title}" ${target.refId}`, expr: target.expr });
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? [])
    if (variable.type === 'query') out.push({ where: `${DASHBOARD} variable ${variable.name}`, expr: variable.query.query });
  return out;
}

/**
 * The rules of alerts.yml, read line by line (the file keeps one `expr:` line per rule): each rule's
 * alert name, expression, severity and summary.
 */
function alertRules(): Array<Query & { alert: string; severity?: string; summary?: string }> {
  const rules: Array<Query & { alert: string; severity?: string; summary?: string }> = [];
  for (const line of fs.readFileSync(path.join(ROOT, ALERTS), 'utf8').split('\n')) {
    const alert = line.match(/^\s+- alert: (\w+)$/);
    if (alert) rules.push({ alert: alert[1], where: `${ALERTS} ${alert[1]}`, expr: '' });
    const rule = rules[rules.length - 1];
    if (!rule) continue;
    const expr = line.match(/^\s+expr: (.+)$/);
    if (expr) rule.expr = expr[1];
    rule.severity ??= line.match(/labels: \{ severity: (critical|warning) \}/)?.[1];
    rule.summary ??= line.match(/^\s+summary: "(.+)"$/)?.[1];
  }
  return rules;
}

/** Metric names a query reads: our own (ds_) and prom-client's defaults (process_, nodejs_). `up` is Prometheus' own. */
const metricNames = (expr: string): string[] => [...new Set(expr.match(/\b(?:ds|process|nodejs)_[A-Za-z0-9_]+\b/g) ?? [])];

/** `name{label="value", …}` selectors with their exact-match label pairs (regex matchers and target labels skipped). */
function exactMatchers(expr: string): Array<{ name: string; label: string; value: string }> {
  const out: Array<{ name: string; label: string; value: string }> = [];
  for (const selector of expr.matchAll(/\b((?:ds|process|nodejs)_[A-Za-z0-9_]+)\{([^}]*)\}/g)) {
    for (const m of selector[2].matchAll(/(\w+)\s*=\s*"([^"]*)"/g)) {
      if (m[1] !== 'job' && m[1] !== 'instance') out.push({ name: selector[1], label: m[1], value: m[2] });
    }
  }
  return out;
}

/** What a query must get right whatever the server exposes: balanced brackets, rates of counters, quantiles of buckets. */
function syntaxProblems({ where, expr }: Query): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (const ch of expr.replace(/"[^"]*"/g, '""')) {
    if ('({['.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) problems.push(`${where}: unbalanced "${ch}" in ${expr}`);
  }
  if (stack.length) problems.push(`${where}: unclosed "${stack.join('')}" in ${expr}`);
  if ((expr.match(/"/g) ?? []).length % 2) problems.push(`${where}: unbalanced quotes in ${expr}`);
  for (const call of expr.matchAll(/\b(rate|increase)\(([^()]*)\)/g)) {
    if (!/\[[^\]]+\]\s*$/.test(call[2])) problems.push(`${where}: ${call[1]}() without a range in ${expr}`);
    for (const name of metricNames(call[2])) if (!/_(total|bucket|count|sum)$/.test(name)) problems.push(`${where}: ${call[1]}() of ${name}, not a counter`);
  }
  for (const call of expr.matchAll(/histogram_quantile\(([^,]+),(.*)$/g)) {
    if (!/_bucket\b/.test(call[2]) || !/\ble\b/.test(call[2])) problems.push(`${where}: histogram_quantile needs a _bucket rate summed by le: ${expr}`);
  }
  return problems;
}

/** Sample names (histogram series carry their _bucket/_sum/_count suffix) with every label set seen. */
function exposition(text: string): { types: Map<string, string>; samples: Map<string, Array<Record<string, string>>> } {
  const types = new Map<string, string>();
  const samples = new Map<string, Array<Record<string, string>>>();
  for (const line of text.split('\n')) {
    const type = line.match(/^# TYPE (\S+) (\S+)$/);
    if (type) types.set(type[1], type[2]);
    const sample = line.match(/^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? \S+/);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.set(sample[1], [...(samples.get(sample[1]) ?? []), labels]);
  }
  return { types, samples };
}

describe('deploy/: the Grafana dashboard and Prometheus alert rules name metrics /metrics exposes', function () {
  this.timeout(60_000);
  const prefix = `ds_test_deploy_metrics_${randomBytes(4).toString('hex')}:`;
  // With Redis, so the redis dependency probe has its series too.
  const running = useServer({ ADMIN_TOKEN: ADMIN, TRANSPORT: 'ws', REDIS_URL: redisUrl(), REDIS_PREFIX: prefix });
  const queries = [...dashboardQueries(), ...alertRules()];

  after(async () => {
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('reads every query: dashboard panels and variables, and rules with a severity and a summary', () => {
    const rules = alertRules();
    assert.ok(dashboardQueries().length >= 30, `dashboard queries: ${dashboardQueries().length}`);
    for (const alert of [
      'DeepStreamDown',
      'DeepStreamHttp5xxRate',
      'DeepStreamJoinSlow',
      'DeepStreamEventLoopLag',
      'DeepStreamPassportBacklog',
      'DeepStreamPassportRejecting',
      'DeepStreamDatabaseUnavailable',
      'DeepStreamMemoryHigh',
    ]) {
      assert.ok(
        rules.some((r) => r.alert === alert),
        `missing alert ${alert}`,
      );
    }
    for (const rule of rules)
      assert.ok(rule.expr && rule.severity && rule.summary, `${rule.alert}: expr, labels.severity and annotations.summary on one line each`);
    assert.deepEqual(queries.flatMap(syntaxProblems), []);
  });

  it('every metric, and every exact label value, is exposed after a sign-in, a join, messages and an error reply', async () => {
    const { server } = running();
    // Histograms and labelled counters have no series until something happens: make it happen.
    const { room } = await joinSession(server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    const error = nextMessage(room, 'error');
    room.send('not-a-message-type', {});
    assert.equal((await error).code, 'UNKNOWN_MESSAGE');
    const scrape = async () => {
      const res = await fetch(`${server.baseUrl}/metrics`, { headers: bearer(ADMIN) });
      assert.equal(res.status, 200);
      return exposition(await res.text());
    };
    // The shared ticker steps a session only while something moves (an input wakes it) and times one step
    // in 8: swipe at ~12 a second (under the message rate limit) until a step has been timed.
    let { types, samples } = await scrape();
    for (let i = 0; i < 80 && !samples.has('ds_room_tick_duration_seconds_bucket'); i++) {
      room.send('swipe', { direction: i % 2 ? 'left' : 'right', velocity: 3000 });
      await new Promise((r) => setTimeout(r, 80));
      if (i % 8 === 7) ({ types, samples } = await scrape());
    }
    await leaveQuietly(room);

    const missing: string[] = [];
    for (const { where, expr } of queries) {
      for (const name of metricNames(expr))
        if (!samples.has(name)) missing.push(`${where}: ${name} (# TYPE ${types.get(name.replace(/_(bucket|sum|count)$/, '')) ?? 'none'})`);
    }
    assert.deepEqual(missing, [], 'named by a query but without a sample on /metrics');

    // A 5xx needs a failure this healthy server does not have; the label itself must still exist.
    const unprovoked = new Set(['status_class=5xx']);
    const wrong: string[] = [];
    for (const { where, expr } of queries) {
      for (const { name, label, value } of exactMatchers(expr)) {
        const sets = samples.get(name) ?? [];
        if (!sets.some((labels) => label in labels)) wrong.push(`${where}: ${name} has no label ${label}`);
        else if (!unprovoked.has(`${label}=${value}`) && !sets.some((labels) => labels[label] === value))
          wrong.push(`${where}: ${name}{${label}="${value}"} has no sample`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

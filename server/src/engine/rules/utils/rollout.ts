/** Rollouts: probe timing with the kubelet's defaults, preStop hook durations, update strategies. */
import type { JsonObject } from '../../types';
import { asList, asObject, isInteger } from './json';

/** The kubelet's defaults for a probe's timing fields (core/v1 Probe). */
const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 } as const;

export interface ProbeTiming {
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
}

/** A probe's timing, defaults applied; undefined when there is no probe or a field is not an integer (a template placeholder). */
export function probeTiming(probe: unknown): ProbeTiming | undefined {
  const value = asObject(probe);
  if (!value) return undefined;
  const field = (key: keyof ProbeTiming): number | undefined => {
    const written = value[key];
    if (written === undefined || written === null) return PROBE_DEFAULTS[key];
    return isInteger(written) ? written : undefined;
  };
  const initialDelaySeconds = field('initialDelaySeconds');
  const periodSeconds = field('periodSeconds');
  const failureThreshold = field('failureThreshold');
  if (initialDelaySeconds === undefined || periodSeconds === undefined || failureThreshold === undefined) return undefined;
  return { initialDelaySeconds, periodSeconds, failureThreshold };
}

/** The longest a probe may keep failing before it gives up: initial delay + period x failure threshold. */
export function probeWindow(timing: ProbeTiming): number {
  return timing.initialDelaySeconds + timing.periodSeconds * timing.failureThreshold;
}

/** The probe handlers of core/v1 Probe (exactly one is set). */
export const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * How long a preStop hook waits, when that can be read: the `sleep` action's seconds, or an exec command that runs
 * `sleep N` (`["sleep", "5"]`, `["/bin/sh", "-c", "sleep 5 && nginx -s quit"]`). Undefined for anything else:
 * an HTTP hook or a script takes as long as it takes.
 */
export function preStopSeconds(container: JsonObject): number | undefined {
  const preStop = asObject(asObject(container.lifecycle)?.preStop);
  if (!preStop) return undefined;
  const sleep = asObject(preStop.sleep)?.seconds;
  if (isInteger(sleep)) return sleep;
  const command = asList(asObject(preStop.exec)?.command).filter((c): c is string => typeof c === 'string');
  let longest: number | undefined;
  for (const [i, part] of command.entries()) {
    const seconds = /(?:^|\/)sleep$/.test(part) ? secondsOf(command[i + 1]) : sleepInScript(part);
    if (seconds !== undefined) longest = Math.max(longest ?? 0, seconds);
  }
  return longest;
}

function secondsOf(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^(\d+)s?$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** The longest `sleep N` in a shell script (`sleep 5 && nginx -s quit`). */
function sleepInScript(script: string): number | undefined {
  let longest: number | undefined;
  for (const match of script.matchAll(/(?:^|[\s;&|(])(?:\/\S*\/)?sleep\s+(\d+)s?(?=$|[\s;&|)])/g)) longest = Math.max(longest ?? 0, Number(match[1]));
  return longest;
}

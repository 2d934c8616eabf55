/** Types of run-nvim.mjs for the TypeScript tests that call it. */
export interface NvimResult {
  status: number;
  signal?: string | null;
  lines: string[];
  stderr: string;
}
export function runNvim(options: { server: string; file: string; node?: string; timeoutMs?: number; minDiagnostics?: number }): Promise<NvimResult>;

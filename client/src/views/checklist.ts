/**
 * The Rollout Checklist tree: namespace -> workload (with its score) -> readiness group -> items (pass, fail,
 * waived, not applicable), and above them the workspace's upgrade readiness (per next Kubernetes version, the
 * resources it stops serving). It renders what `kgov/checklist` returns and nothing more; clicking an item
 * reveals its range. Refreshes as you type (debounced) and when the server's index is ready.
 */
import * as vscode from 'vscode';
import type { ChecklistItem, ChecklistResult, WorkloadChecklist } from '../../../server/src/shared/protocol';

/** What the checklist view needs from the extension (a narrow view of its context). */
export interface ChecklistSource {
  checklistOf(uri?: vscode.Uri, token?: vscode.CancellationToken): Promise<ChecklistResult | undefined>;
  readonly output: { appendLine(line: string): void };
}

type UpgradeOutlook = NonNullable<ChecklistResult['upgrade']>[number];
type UpgradeStep = UpgradeOutlook['next'][number];

type Node =
  | { type: 'upgrade'; outlook: UpgradeOutlook }
  | { type: 'upgradeVersion'; step: UpgradeStep }
  | { type: 'upgradeResource'; resource: UpgradeStep['removed'][number] }
  | { type: 'namespace'; name: string; workloads: WorkloadChecklist[] }
  | { type: 'workload'; workload: WorkloadChecklist }
  | { type: 'group'; workload: WorkloadChecklist; group: string; items: ChecklistItem[] }
  | { type: 'item'; item: ChecklistItem };

const ICONS: Record<ChecklistItem['status'], [string, string]> = {
  pass: ['pass', 'testing.iconPassed'],
  fail: ['error', 'testing.iconFailed'],
  waived: ['circle-slash', 'disabledForeground'],
  notApplicable: ['dash', 'disabledForeground'],
};

const STATUS_WORDS: Record<ChecklistItem['status'], string> = { pass: 'pass', fail: 'fail', waived: 'waived', notApplicable: 'not applicable' };

export class ChecklistView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<Node> | undefined;
  private result: ChecklistResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Requests still running (cancelled on dispose), the number of the latest request and of the one shown. */
  private readonly inFlight = new Set<vscode.CancellationTokenSource>();
  private requested = 0;
  private shown = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: ChecklistSource) {}

  register(): void {
    this.view = vscode.window.createTreeView('kgov.checklist', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, this.changed,
      vscode.languages.onDidChangeDiagnostics(() => this.refresh()),
      this.view.onDidChangeVisibility(() => this.refresh()));
  }

  /** The latest checklist (for tests and the status bar). */
  get current(): ChecklistResult | undefined {
    return this.result;
  }

  /** Asks the server again, at most every 500 ms. */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), 500);
  }

  /**
   * Asks the server for the workspace checklist and shows it. Every caller gets the answer to its own request
   * (concurrent loads are not cancelled: a refresh must not turn an explicit load into a stale or empty result);
   * the view only ever moves forward to the newest answer.
   */
  async load(): Promise<ChecklistResult | undefined> {
    const seq = ++this.requested;
    const source = new vscode.CancellationTokenSource();
    this.inFlight.add(source);
    try {
      const result = await this.ctx.checklistOf(undefined, source.token);
      if (!result) return this.result;
      if (seq > this.shown) {
        this.shown = seq;
        this.result = result;
        const empty = result.workloads.length === 0;
        await vscode.commands.executeCommand('setContext', 'kgov.checklist.empty', empty);
        if (this.view) {
          this.view.description = empty ? undefined : `workspace score ${result.score}`;
          this.view.message = undefined;
        }
        this.changed.fire(undefined);
      }
      return result;
    } catch (error) {
      if (!source.token.isCancellationRequested) this.ctx.output.appendLine(`[kgov] checklist: ${String(error)}`);
      return this.result;
    } finally {
      this.inFlight.delete(source);
      source.dispose();
    }
  }

  getChildren(node?: Node): Node[] {
    const workloads = this.result?.workloads ?? [];
    if (!node) {
      const namespaces = [...new Set(workloads.map((w) => w.namespace))].sort();
      const upgrade: Node[] = (this.result?.upgrade ?? []).map((outlook) => ({ type: 'upgrade', outlook }));
      return [...upgrade, ...namespaces.map((name): Node => ({ type: 'namespace', name, workloads: workloads.filter((w) => w.namespace === name) }))];
    }
    switch (node.type) {
      case 'upgrade':
        return node.outlook.next.map((step) => ({ type: 'upgradeVersion', step }));
      case 'upgradeVersion':
        return node.step.removed.map((resource) => ({ type: 'upgradeResource', resource }));
      case 'upgradeResource':
        return [];
      case 'namespace':
        return [...node.workloads].sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).map((workload) => ({ type: 'workload', workload }));
      case 'workload':
        return node.workload.groups.map((g) => ({ type: 'group', workload: node.workload, group: g.group, items: g.items }));
      case 'group':
        return node.items.map((item) => ({ type: 'item', item }));
      case 'item':
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'upgrade': {
        const { outlook } = node;
        const removed = outlook.next.reduce((n, step) => n + step.removed.length, 0);
        const known = outlook.next.filter((step) => step.bundled);
        const item = new vscode.TreeItem(`Upgrade readiness (target ${outlook.target})`, removed ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = known.length === 0 ? 'no newer Kubernetes version bundled'
          : removed ? `${removed} resource${removed === 1 ? '' : 's'} stop${removed === 1 ? 's' : ''} being served by ${known.map((s) => s.version).join(' or ')}`
            : `ready for ${known.map((s) => s.version).join(' and ')}`;
        item.iconPath = new vscode.ThemeIcon(removed ? 'warning' : 'pass', new vscode.ThemeColor(removed ? 'list.warningForeground' : 'testing.iconPassed'));
        item.contextValue = 'upgrade';
        return item;
      }
      case 'upgradeVersion': {
        const { step } = node;
        const item = new vscode.TreeItem(`Kubernetes ${step.version}`, step.removed.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.description = !step.bundled ? 'not bundled: unknown' : step.removed.length ? `stops serving ${step.removed.length}` : 'serves every resource';
        item.iconPath = new vscode.ThemeIcon(!step.bundled ? 'question' : step.removed.length ? 'error' : 'pass',
          new vscode.ThemeColor(!step.bundled ? 'disabledForeground' : step.removed.length ? 'testing.iconFailed' : 'testing.iconPassed'));
        return item;
      }
      case 'upgradeResource': {
        const { resource } = node;
        const item = new vscode.TreeItem(`${resource.kind} ${resource.name ?? '(unnamed)'}`, vscode.TreeItemCollapsibleState.None);
        item.description = `${resource.apiVersion}${resource.replacement ? ` → ${resource.replacement}` : ' (no replacement)'}${resource.namespace ? ` · ${resource.namespace}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
        if (resource.range) item.command = reveal(resource.uri, resource.range, 'Reveal');
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(`namespace ${node.name}`, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.description = `${node.workloads.length} workload${node.workloads.length === 1 ? '' : 's'}`;
        return item;
      }
      case 'workload': {
        const { workload } = node;
        const item = new vscode.TreeItem(`${workload.kind} ${workload.name}`, vscode.TreeItemCollapsibleState.Collapsed);
        // An item listed in two groups (primaryGroup) is one thing to fix.
        const failing = workload.groups.flatMap((g) => g.items).filter((i) => i.status === 'fail' && i.primaryGroup === undefined).length;
        item.description = `score ${workload.score}${failing ? ` · ${failing} to fix` : ''}`;
        item.iconPath = new vscode.ThemeIcon(failing ? 'warning' : 'pass', new vscode.ThemeColor(failing ? 'list.warningForeground' : 'testing.iconPassed'));
        item.command = reveal(workload.uri, workload.range, 'Reveal workload');
        item.contextValue = 'workload';
        return item;
      }
      case 'group': {
        const failing = node.items.filter((i) => i.status === 'fail').length;
        const item = new vscode.TreeItem(node.group, failing ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = failing ? `${failing} failing` : `${node.items.filter((i) => i.status === 'pass').length} passed`;
        item.iconPath = new vscode.ThemeIcon(failing ? 'error' : 'pass', new vscode.ThemeColor(failing ? 'testing.iconFailed' : 'testing.iconPassed'));
        return item;
      }
      case 'item': {
        const { item: check } = node;
        const item = new vscode.TreeItem(check.message, vscode.TreeItemCollapsibleState.None);
        const [icon, color] = ICONS[check.status];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        item.description = `${check.live ? 'live · ' : ''}${check.ruleId}${check.primaryGroup ? ` · counted in ${check.primaryGroup}` : ''}${check.reason ? ` · ${check.reason}` : ''}`;
        item.tooltip = new vscode.MarkdownString(`**${STATUS_WORDS[check.status]}** — ${check.message}\n\n\`${check.ruleId}\` (${check.severity})${check.reason ? `\n\nWaived: ${check.reason}` : ''}`);
        item.command = reveal(check.uri, check.range, 'Reveal');
        item.contextValue = `item.${check.status}`;
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const source of this.inFlight) source.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

function reveal(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, title: string): vscode.Command {
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  return { title, command: 'vscode.open', arguments: [vscode.Uri.parse(uri), { selection }] };
}

import type { CheckRemediation, CheckResult, Reproduction } from '../../results/model.js';

/** Findings of one rule whose commands go into its help: the rule's alerts show one help text. */
const MAX_REPRODUCED = 3;

/** A fence longer than any run of backticks in the text, so no command can close it early. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function remediationText(remediation: CheckRemediation): string[] {
  return [`What to change: ${remediation.summary}`, ...(remediation.settings ?? []).map((s) => `- ${s.place}: ${s.setting}`)];
}

function remediationMarkdown(remediation: CheckRemediation): string[] {
  const settings = (remediation.settings ?? []).map((s) => `| ${s.place} | ${markdownCell(s.setting)} |`);
  return [
    '**What to change**',
    '',
    remediation.summary,
    ...(settings.length ? ['', '| Where | Usual setting |', '| --- | --- |', ...settings] : []),
  ];
}

function markdownCell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

function variablesText(reproduce: Reproduction): string[] {
  return reproduce.variables.map((v) => `${v.name}: ${v.meaning}`);
}

/**
 * A rule's help: what it checks, what to change (the remediation of its failed checks) and, for up to a few of them,
 * the curl commands that reproduce the finding, with what each $GAUNTLET_... placeholder stands for.
 */
export function ruleHelp(title: string, checks: CheckResult[]): { text: string; markdown: string } {
  const intro = `gauntlet checks that ${title}. A failure means the target did not behave as required; the result's message and the HTML report's evidence show the request and the answer.`;
  const remediation = checks.find((c) => c.remediation)?.remediation;
  const reproduced = checks.filter((c) => c.reproduce).slice(0, MAX_REPRODUCED);
  const text = [intro];
  const markdown = [intro];
  if (remediation) {
    text.push('', ...remediationText(remediation));
    markdown.push('', ...remediationMarkdown(remediation));
  }
  for (const check of reproduced) {
    const reproduce = check.reproduce!;
    text.push('', `Reproduce ${check.id} (set the variables first):`, reproduce.curl, ...variablesText(reproduce));
    markdown.push('', `**Reproduce \`${check.id}\`**`, '', fenced(reproduce.curl, 'sh'), ...reproduce.variables.map((v) => `- \`$${v.name}\`: ${v.meaning}`));
  }
  return { text: text.join('\n'), markdown: markdown.join('\n') };
}

/** A result's message in Markdown: the finding, then the command that reproduces it. */
export function resultMarkdown(check: CheckResult): string | undefined {
  if (!check.reproduce) return undefined;
  return [`${check.title}: ${check.message}`, '', fenced(check.reproduce.curl, 'sh')].join('\n');
}

import { openRuntime, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";

/** One line of the doctor's report. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** `tinyllm doctor`: Node, config and provider, each failure with what to do; exit 1 if any. */
export async function doctor(options: ModelFlags & { json?: boolean }): Promise<number> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const nodeOk = major > 20 || (major === 20 && minor >= 19);
  checks.push({ name: "node", ok: nodeOk, detail: `Node ${process.versions.node}`, ...(nodeOk ? {} : { fix: "install Node.js 20.19 or newer" }) });

  let runtime;
  try {
    runtime = await openRuntime(options);
    checks.push({
      name: "config",
      ok: true,
      detail: runtime.configFile ? `read ${runtime.configFile}` : "no tinyllm.yaml: defaults, environment and flags",
      ...(runtime.configFile ? {} : { fix: "optional: `tinyllm init` writes a commented starter file" }),
    });
  } catch (error) {
    const e = error as { message: string; hint?: string; exitCode?: number };
    if (e.exitCode === 2) throw error;
    checks.push({ name: "config", ok: false, detail: e.message, fix: e.hint ?? "fix tinyllm.yaml" });
  }
  if (runtime) {
    try {
      const { diagnose } = await import("@tinyllm/runtime");
      checks.push(...(await diagnose(runtime)));
    } finally {
      await runtime.close();
    }
  }

  const ok = checks.every((c) => c.ok);
  if (options.json) printJson({ ok, checks });
  else {
    for (const check of checks) {
      process.stdout.write(`${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}\n`);
      if (check.fix && !check.ok) process.stdout.write(`  → ${check.fix}\n`);
    }
  }
  return ok ? 0 : 1;
}

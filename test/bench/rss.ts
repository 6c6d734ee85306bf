// Peak resident memory of a stack's dynamic-provider processes, read from
// /proc/<pid>/status (VmHWM, the kernel's own high-water mark) while a
// Pulumi command runs. Processes are told apart by the stack's PULUMI_HOME.
import * as fs from "node:fs";

export interface RssWatch {
  /** Stops sampling; the highest VmHWM seen in MB (0 when no provider ran). */
  stop(): number;
}

export function watchProviderRss(pulumiHome: string, everyMs = 100): RssWatch {
  const mark = `PULUMI_HOME=${pulumiHome}\u0000`;
  let peakKb = 0;
  const sample = () => {
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").includes("dynamic-provider")) continue;
        if (!fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(mark)) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "latin1"));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        /* exited meanwhile */
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(peakKb / 1024);
    },
  };
}

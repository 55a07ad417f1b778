/** CPU time (user + system, every thread of this process) since `since`, in milliseconds. */
export function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

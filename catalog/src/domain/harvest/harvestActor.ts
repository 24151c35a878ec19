/** The system actor harvested writes are recorded as in the history: `harvest:<source name>`. */
export function harvestActor(sourceName: string): string {
  return `harvest:${sourceName}`.slice(0, 100);
}

import type { SearchState } from './searchState.ts';

/** A search with no words and no filters: the whole open directory, newest first. */
export function browseState(overrides: Partial<SearchState> = {}): SearchState {
  return {
    q: '',
    sort: 'recent',
    theme: [],
    department: [],
    openType: [],
    updateCycle: [],
    format: [],
    page: 1,
    ...overrides,
  };
}

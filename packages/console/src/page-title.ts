import { useEffect } from "react";

/**
 * Names the browser's tab after the page shown, then the console: with several console tabs
 * open (Rankings, What-if, Rules…), a user, and a screen reader's list of windows, tell them
 * apart by their titles, the page first as the tab's width cuts the end off.
 */
export function usePageTitle(page: string, app: string): void {
  useEffect(() => {
    document.title = `${page} · ${app}`;
  }, [page, app]);
}

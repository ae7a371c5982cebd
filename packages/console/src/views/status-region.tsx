import type { ReactNode } from "react";

/**
 * Where a page says what an action came to (saved, recorded, published), for screen readers as
 * much as for the eye. The region is always drawn, empty until there is something to say: text
 * put into a live region already there is read out, while a region drawn together with its text
 * often is not. Its messages keep their own look and test ids; empty, it takes no room.
 */
export function StatusRegion({ children }: { children: ReactNode }) {
  return (
    <div className="status-region" role="status">
      {children}
    </div>
  );
}

import type { ReactNode } from "react";
import type { ListPage } from "../cycle-list-page";
import { PageButtons, PageCount } from "./page-controls";

/**
 * A cycle's list read a page at a time (Findings, Ballots, Survey forms) as a table: how many rows
 * pass the filters and which are shown, the rows or the words for none, and Previous and Next.
 * `name` makes the test ids every such list has (`ballots-count`, `-none`, `-list`, `-prev`,
 * `-next`). The card, its title and any help stay with the page: they differ from list to list.
 */
export function ListTable(props: {
  name: string;
  page: ListPage<unknown>;
  size: number;
  /** The list's own words for its total ("19 findings"). */
  count: string;
  /** Said instead of the table when the page has no row (none passing the filters, or none at all). */
  none: string;
  /** The header row's cells. */
  header: ReactNode;
  /** The body's rows, one or more a row of the page. */
  children: ReactNode;
  /** Runs before another page is read, as PageButtons' does. */
  onGo?: () => void;
}) {
  const { name, page } = props;
  return (
    <>
      <PageCount testId={`${name}-count`} count={props.count} page={page} size={props.size} />
      {page.rows.length === 0 ? (
        <p className="muted" data-testid={`${name}-none`}>
          {props.none}
        </p>
      ) : (
        <div className="scroll-x">
          <table data-testid={`${name}-list`}>
            <thead>
              <tr>{props.header}</tr>
            </thead>
            <tbody>{props.children}</tbody>
          </table>
        </div>
      )}
      <PageButtons name={name} page={page} onGo={props.onGo} />
    </>
  );
}

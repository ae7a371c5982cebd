import { AUDIT_ACTIONS, AUDIT_ENTITIES, type AuditRow } from "../history-api";
import type { Translate } from "../i18n";

/** An action as the page words it; one the console does not know (a database edited by hand) as it is. */
export const actionText = (action: string, t: Translate): string =>
  (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`history.action.${action as (typeof AUDIT_ACTIONS)[number]}`)
    : action;

/** A kind of record as the page words it, likewise. */
export const entityText = (entity: string, t: Translate): string =>
  (AUDIT_ENTITIES as readonly string[]).includes(entity)
    ? t(`history.entity.${entity as (typeof AUDIT_ENTITIES)[number]}`)
    : entity;

/** What an entry did, in the What column: "delete · ballots". */
export const whatText = (row: Pick<AuditRow, "action" | "entity">, t: Translate): string =>
  `${actionText(row.action, t)} · ${entityText(row.entity, t)}`;

import type { ReactNode } from "react";

/** What a field's box must carry to be named by its label and described by its problem. */
export type A11y = {
  id: string;
  "data-testid": string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

/**
 * One box of a form, labelled, with what is wrong with it. The problem is either text shown
 * beside the box (`problem`) or, where the page says it elsewhere with more than a line,
 * the id of the element saying it (`problemAt`).
 */
export function Field(props: {
  testId: string;
  /** `field-${testId}` unless given: the Events page's boxes have always been `event-…`. */
  id?: string;
  label: string;
  problem?: string | undefined;
  problemAt?: string | undefined;
  children: (a11y: A11y) => ReactNode;
}) {
  const { testId, problem } = props;
  const id = props.id ?? `field-${testId}`;
  const problemId = problem ? `${testId}-problem` : props.problemAt;
  return (
    <span>
      <label htmlFor={id}>{props.label}</label>{" "}
      {props.children({
        id,
        "data-testid": testId,
        "aria-invalid": problemId ? true : undefined,
        "aria-describedby": problemId,
      })}
      {/* Beside the box, not in its label: the box keeps its name while it says what is wrong. */}
      {problem && (
        <span className="error" id={problemId} data-testid={problemId}>
          {" "}
          {problem}
        </span>
      )}
    </span>
  );
}

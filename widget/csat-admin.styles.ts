import { css } from 'lit';

export const adminStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    min-height: 100%;
    padding: 1rem 1.5rem 2rem;
    background: var(--_bg);
    line-height: 1.45;
    font-size: var(--csat-font-size, 0.9375rem);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* The parts of the page render into this shadow root (no shadow root of their own). */
  csat-admin-login,
  csat-admin-inbox,
  csat-admin-filters,
  csat-admin-response,
  csat-admin-report,
  csat-admin-dimensions {
    display: block;
  }
  .answer .class {
    color: var(--_muted);
  }
  .answer .named {
    display: block;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .report .row select {
    width: auto;
  }
  table.report th[scope='row'] {
    font-size: 1em;
    font-weight: 400;
    color: var(--_text);
    white-space: normal;
  }
  ul.mattered {
    margin: 0;
    padding-left: 1.2rem;
  }
  h1 {
    font-size: 1.35em;
    margin: 0;
  }
  h2 {
    font-size: 1.1em;
    margin: 0 0 0.5rem;
  }
  h3 {
    font-size: 1em;
    margin: 1rem 0 0.4rem;
  }
  header {
    display: flex;
    align-items: center;
    gap: 1rem;
    flex-wrap: wrap;
    padding-bottom: 0.75rem;
    margin-bottom: 1rem;
    border-bottom: 1px solid var(--_line);
  }
  header .site {
    color: var(--_muted);
  }
  header .spacer {
    flex: 1;
  }
  section {
    margin-bottom: 1.5rem;
  }
  label {
    display: block;
    font-weight: 600;
    font-size: 0.9em;
    margin-bottom: 0.2rem;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_muted);
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
    min-height: 2.25rem;
    width: 100%;
  }
  textarea {
    min-height: 4.5rem;
    resize: vertical;
  }
  button {
    cursor: pointer;
    min-height: 2.25rem;
    padding: 0.35rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--_muted);
    background: var(--_bg);
    font-weight: 600;
  }
  button.primary {
    background: var(--_focus);
    border-color: var(--_focus);
    color: var(--_bg);
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  button.link {
    border: 0;
    background: none;
    padding: 0;
    min-height: 0;
    color: var(--_focus);
    text-decoration: underline;
    text-align: start;
    white-space: nowrap;
  }
  .row h2 {
    margin: 0;
  }
  section > .row {
    margin-bottom: 0.5rem;
  }
  .login {
    max-width: 26rem;
    margin: 3rem auto;
    padding: 1.25rem;
    border: 1px solid var(--_line);
    border-radius: 10px;
  }
  .login .field {
    margin-bottom: 0.8rem;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9em;
    margin: 0.25rem 0 0.8rem;
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
    gap: 0.6rem 0.8rem;
    align-items: end;
    padding: 0.8rem;
    border: 1px solid var(--_line);
    border-radius: 10px;
    margin: 0 0 1rem;
  }
  .filters .actions,
  .row {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
  }
  .filters .actions {
    grid-column: 1 / -1;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1.25rem;
    align-items: start;
  }
  .layout.with-details {
    grid-template-columns: minmax(0, 1fr) minmax(20rem, 26rem);
  }
  @media (max-width: 900px) {
    .layout.with-details {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  caption {
    text-align: start;
    color: var(--_muted);
    padding-bottom: 0.4rem;
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--_line);
  }
  th {
    font-size: 0.85em;
    color: var(--_muted);
    white-space: nowrap;
  }
  tr.selected td {
    background: color-mix(in srgb, var(--_focus) 4%, transparent);
  }
  tr.selected td:first-child {
    box-shadow: inset 3px 0 0 var(--_focus);
  }
  td.comment {
    max-width: 22rem;
    overflow-wrap: break-word;
    white-space: pre-wrap;
  }
  td.date {
    white-space: nowrap;
  }
  .empty {
    color: var(--_muted);
  }
  .tag {
    display: inline-block;
    padding: 0 0.45rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 0.85em;
    white-space: nowrap;
  }
  .positive {
    color: var(--_positive);
  }
  .neutral {
    color: var(--_neutral);
  }
  .negative {
    color: var(--_negative);
  }
  .more {
    margin-top: 0.75rem;
  }
  .details {
    border: 1px solid var(--_line);
    border-radius: 10px;
    padding: 1rem;
    position: sticky;
    top: 1rem;
  }
  .details .top {
    display: flex;
    justify-content: space-between;
    align-items: start;
    gap: 0.5rem;
  }
  dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.25rem 0.75rem;
    margin: 0.5rem 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: break-word;
    white-space: pre-wrap;
  }
  ul.notes {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  ul.notes li {
    border-inline-start: 3px solid var(--_line);
    padding: 0.2rem 0 0.2rem 0.6rem;
    margin-bottom: 0.5rem;
  }
  ul.notes .meta {
    color: var(--_muted);
    font-size: 0.85em;
  }
  ul.notes .text {
    white-space: pre-wrap;
    overflow-wrap: break-word;
  }
  .note-form .field {
    margin-bottom: 0.5rem;
  }
  .status {
    min-height: 1.5em;
    margin: 0 0 0.5rem;
  }
  .error {
    color: var(--_negative);
    font-weight: 600;
  }
  .ok {
    color: var(--_positive);
    font-weight: 600;
  }
  code,
  a.email,
  button.export {
    overflow-wrap: anywhere;
  }
  a {
    color: var(--_focus);
  }
  .status p {
    margin: 0 0 0.3rem;
  }
  .status .fix {
    font-weight: 400;
    color: var(--_text);
  }
  .layout > div {
    container: inbox / inline-size;
  }
  @container inbox (max-width: 36rem) {
    table,
    caption,
    tbody,
    tr,
    td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    tr {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.3rem 0.9rem;
      padding: 0.6rem 0.4rem;
      border-bottom: 1px solid var(--_line);
    }
    td {
      padding: 0;
      border: 0;
    }
    td.comment {
      flex-basis: 100%;
      max-width: none;
    }
    td.none {
      display: none;
    }
    td[data-label]::before {
      content: attr(data-label) ': ';
      color: var(--_muted);
    }
    tr.selected {
      background: color-mix(in srgb, var(--_focus) 4%, transparent);
      box-shadow: inset 3px 0 0 var(--_focus);
    }
    tr.selected td {
      background: none;
      box-shadow: none;
    }
  }
  @media (max-width: 30rem) {
    :host {
      padding: 0.75rem 0.75rem 1.5rem;
    }
    .filters {
      padding: 0.6rem;
    }
  }
`;

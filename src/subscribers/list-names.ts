/** List names go into List-Id headers and CSV cells: keep them plain. */
export const listNamePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

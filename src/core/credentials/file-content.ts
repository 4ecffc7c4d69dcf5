import type { PlannedFile } from './credential-set.ts';
import { assertOutsideWorkspace } from './workspace.ts';

/**
 * The content a planned file gets once its credential directory is known: the workspace guard
 * is checked against the directory, and a directory placeholder (in a JSON file that names
 * its siblings by absolute path) becomes the directory, escaped as a JSON string body.
 */
export function fileContentIn(file: PlannedFile, directory: string): string {
  if (file.outsideWorkspace !== undefined) assertOutsideWorkspace(directory, file.outsideWorkspace);
  const placeholder = file.directoryPlaceholder;
  if (placeholder === undefined || placeholder === '') return file.content;
  const escaped = JSON.stringify(directory).slice(1, -1);
  return file.content.replaceAll(placeholder, () => escaped);
}

/**
 * Tekton task specs wherever they are written: a Task or ClusterTask's `spec`, a TaskRun's
 * embedded `spec.taskSpec`, and `taskSpec`s inside a Pipeline's (or a PipelineRun's embedded
 * `pipelineSpec`'s) `tasks` and `finally`. Each comes with its path.
 */
import { arrayAt, isObject } from '../../document.ts';
import type { DocPath, K8sDocument, PlainObject } from '../../document.ts';

export interface TaskSpec {
  readonly path: DocPath;
  readonly spec: PlainObject;
  /** `Task/<name>`, or `<pipeline task name>` for an embedded spec, for messages. */
  readonly label: string;
}

function pipelineTaskSpecs(pipeline: unknown, base: DocPath, out: TaskSpec[]): void {
  for (const list of ['tasks', 'finally']) {
    arrayAt(pipeline, [list]).forEach((task, index) => {
      if (!isObject(task) || !isObject(task['taskSpec'])) return;
      const name = typeof task['name'] === 'string' ? task['name'] : `${list}[${index}]`;
      out.push({ path: [...base, list, index, 'taskSpec'], spec: task['taskSpec'], label: name });
    });
  }
}

export function taskSpecs(document: K8sDocument): readonly TaskSpec[] {
  const { family, k8sKind, name } = document.classification;
  if (family !== 'tekton') return [];
  const spec = document.value;
  const out: TaskSpec[] = [];
  const root = isObject(spec) && isObject(spec['spec']) ? spec['spec'] : undefined;
  if (root === undefined) return out;
  if (k8sKind === 'Task' || k8sKind === 'ClusterTask')
    out.push({ path: ['spec'], spec: root, label: `${k8sKind}/${name}` });
  if (k8sKind === 'TaskRun' && isObject(root['taskSpec'])) {
    out.push({ path: ['spec', 'taskSpec'], spec: root['taskSpec'], label: `TaskRun/${name}` });
  }
  if (k8sKind === 'Pipeline') pipelineTaskSpecs(root, ['spec'], out);
  if (k8sKind === 'PipelineRun' && isObject(root['pipelineSpec'])) {
    pipelineTaskSpecs(root['pipelineSpec'], ['spec', 'pipelineSpec'], out);
  }
  return out;
}

export interface StepRef {
  readonly path: DocPath;
  readonly step: PlainObject;
  readonly name: string;
}

/** Steps, sidecars and the step template of a task spec. */
export function stepsOf(task: TaskSpec): readonly StepRef[] {
  const out: StepRef[] = [];
  for (const list of ['steps', 'sidecars']) {
    arrayAt(task.spec, [list]).forEach((step, index) => {
      if (!isObject(step)) return;
      out.push({
        path: [...task.path, list, index],
        step,
        name: typeof step['name'] === 'string' ? step['name'] : `${list}[${index}]`,
      });
    });
  }
  const template = task.spec['stepTemplate'];
  if (isObject(template))
    out.push({ path: [...task.path, 'stepTemplate'], step: template, name: 'stepTemplate' });
  return out;
}

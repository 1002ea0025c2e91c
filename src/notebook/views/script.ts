/** `script` results → the returned value as JSON (and as text for viewers without a JSON renderer). */
import type { ScriptResult } from '../../core/stages/script';
import type { View } from './view';

export const scriptView: View<ScriptResult> = async (r) => {
  const data = new TextEncoder().encode(r.json);
  return [
    {
      items: [
        { mime: 'application/json', data },
        { mime: 'text/plain', data },
      ],
    },
  ];
};

/** Every rule module, by id. A literal, sorted map: no side-effect registration (a parity test checks it). */
import type { AnyRule } from './define';
import noHostNetwork from './no-host-network';
import noPrivilegedContainer from './no-privileged-container';
import runAsNonRoot from './run-as-non-root';

export const RULES: Readonly<Record<string, AnyRule>> = {
  'no-host-network': noHostNetwork,
  'no-privileged-container': noPrivilegedContainer,
  'run-as-non-root': runAsNonRoot,
};

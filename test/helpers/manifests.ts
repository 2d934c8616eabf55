/** Manifests that several test files need as they are. */

/** A privileged Deployment `web` in namespace `shop`, its image as given (security fails; supply chain too for a moving tag). */
export function privilegedDeployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
          securityContext:
            privileged: true
`;
}

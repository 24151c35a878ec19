export * from './generateDemoDirectory.ts';
export * from './seedDemoDirectory.ts';
export * from './idNumber.ts';
export { Random } from './random.ts';
export type { DemoItem, DepartmentProfile, ResourceTemplate } from './catalogueTypes.ts';

// The wizards as the composition root wires them: the panel manager over the cluster registry and an engine
// factory (the real one runs each cluster's OperationsEngine; the extension-test build passes a scripted one).
export { WizardPanels, WIZARD_VIEW_TYPE } from './panels';
export type { PanelInspection } from './panels';
export { WizardController, realEngines } from './controller';
export type { WizardEngine, WizardEngineFactory } from './controller';

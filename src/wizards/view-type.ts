// The wizard panels' view type on its own: the activation shell registers the serializer for it without
// loading the wizards.
export const WIZARD_VIEW_TYPE = 'gatewayCluster.wizard';

/** Stylesheets are imported for their effect: the build bundles them into the page's CSS file. */
declare module "*.css";

<?php
/**
 * The plugin's PHP unit tests run inside a real WordPress (test/wordpress/php-units.test.ts installs it and
 * the plugin, starts our server, and names them in the environment).
 *
 * @package oovoo
 */

$oovoo_wp_dir = getenv( 'OOVOO_WP_DIR' );
if ( ! $oovoo_wp_dir ) {
	fwrite( STDERR, "OOVOO_WP_DIR is not set: run these tests through test/wordpress/php-units.test.ts\n" );
	exit( 1 );
}
// PHPUnit includes this file inside a function: WordPress's files expect to run at the top level, so the
// globals they set without declaring them are declared here (as WordPress's own test bootstrap does).
global $wpdb, $current_site, $current_blog, $wp_rewrite, $shortcode_tags, $wp, $phpmailer, $wp_theme_directories;
require $oovoo_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
// The settings page's code loads in admin requests only; the tests call it directly.
require_once WP_PLUGIN_DIR . '/oovoo/includes/admin.php';
require_once __DIR__ . '/OovooTestCase.php';

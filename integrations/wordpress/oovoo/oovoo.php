<?php
/**
 * Plugin Name:       oovoo video and chat
 * Plugin URI:        https://github.com/oovoo-elements/oovoo-elements
 * Description:       Video calls and chat for signed-in WordPress users, through an oovoo-server: the site signs each user in server-to-server, so no app token ever reaches a page.
 * Version:           0.1.0
 * Requires at least: 5.9
 * Requires PHP:      7.4
 * Author:            oovoo-elements
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       oovoo
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'OOVOO_VERSION', '0.1.0' );
define( 'OOVOO_PLUGIN_DIR', __DIR__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/login.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/blocks.php';
require_once __DIR__ . '/includes/kses.php';

if ( is_admin() ) {
	require_once __DIR__ . '/includes/admin.php';
	require_once __DIR__ . '/includes/admin-page.php';
}

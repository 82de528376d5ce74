<?php
/**
 * Deleting the plugin removes everything it stored: its settings and the session tokens it keeps.
 *
 * @package oovoo
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'oovoo_settings' );

global $wpdb;
// The cached session tokens are transients named oovoo_st_*; the settings page's notices, oovoo_notice_*.
$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	$wpdb->prepare(
		"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
		$wpdb->esc_like( '_transient_oovoo_' ) . '%',
		$wpdb->esc_like( '_transient_timeout_oovoo_' ) . '%'
	)
);

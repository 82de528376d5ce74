<?php
/**
 * Settings → oovoo: what its two forms do (save, test the connection). Each checks the user's
 * capability and its own nonce before anything else; the page itself is admin-page.php.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'admin_menu', 'oovoo_admin_menu' );
add_action( 'admin_post_oovoo_save_settings', 'oovoo_handle_save_settings' );
add_action( 'admin_post_oovoo_test_connection', 'oovoo_handle_test_connection' );
add_filter( 'plugin_action_links_oovoo/oovoo.php', 'oovoo_plugin_action_links' );

/** Adds Settings → oovoo. */
function oovoo_admin_menu() {
	add_options_page( __( 'oovoo', 'oovoo' ), __( 'oovoo', 'oovoo' ), 'manage_options', 'oovoo', 'oovoo_render_settings_page' );
}

/**
 * A "Settings" link beside the plugin on the Plugins screen.
 *
 * @param string[] $links The plugin's links.
 * @return string[]
 */
function oovoo_plugin_action_links( $links ) {
	$links[] = sprintf( '<a href="%s">%s</a>', esc_url( oovoo_settings_url() ), esc_html__( 'Settings', 'oovoo' ) );
	return $links;
}

/** The settings page's address. */
function oovoo_settings_url() {
	return admin_url( 'options-general.php?page=oovoo' );
}

/**
 * Refuses (403) a user who may not manage options, and a request without this form's nonce.
 *
 * @param string $action The form's nonce action.
 */
function oovoo_check_form( $action ) {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You may not change the oovoo settings.', 'oovoo' ), '', array( 'response' => 403 ) );
	}
	check_admin_referer( $action, 'oovoo_nonce' );
}

/**
 * Leaves a notice for the current user's next view of the settings page, then goes there.
 *
 * @param string $type    'success' or 'error'.
 * @param string $message The notice, in words.
 */
function oovoo_notice_and_return( $type, $message ) {
	set_transient(
		'oovoo_notice_' . get_current_user_id(),
		array(
			'type'    => $type,
			'message' => $message,
		),
		MINUTE_IN_SECONDS
	);
	wp_safe_redirect( oovoo_settings_url() );
	exit;
}

/** Saves the settings form. */
function oovoo_handle_save_settings() {
	oovoo_check_form( 'oovoo_save_settings' );
	$input  = isset( $_POST['oovoo'] ) && is_array( $_POST['oovoo'] ) ? wp_unslash( $_POST['oovoo'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- each field is sanitised in oovoo_sanitize_settings().
	$result = oovoo_sanitize_settings( $input, oovoo_get_settings() );
	update_option( OOVOO_OPTION, $result['settings'], false );
	if ( $result['errors'] ) {
		oovoo_notice_and_return( 'error', implode( ' ', $result['errors'] ) );
	}
	oovoo_notice_and_return( 'success', __( 'Settings saved.', 'oovoo' ) );
}

/** Runs the connection test and reports it in words. */
function oovoo_handle_test_connection() {
	oovoo_check_form( 'oovoo_test_connection' );
	$result = oovoo_test_connection( oovoo_get_settings(), wp_get_current_user() );
	oovoo_notice_and_return( $result['ok'] ? 'success' : 'error', $result['message'] );
}

/**
 * Signs the current user in server-to-server as the pages would, and says what happened.
 *
 * @param array<string, mixed> $settings The plugin's settings.
 * @param WP_User              $user     Who tests.
 * @return array{ok: bool, message: string}
 */
function oovoo_test_connection( $settings, $user ) {
	$user_id = oovoo_user_id( $user, $settings );
	$role    = oovoo_user_may_host( $user, $settings ) ? 'host' : 'participant';
	$session = oovoo_server_login( $settings, $user_id, $role );
	$note    = '';
	if ( is_wp_error( $session ) && 'host' === $role && 'oovoo_refused' === $session->get_error_code() ) {
		$note    = ' ' . __( 'Hosts cannot be made:', 'oovoo' ) . ' ' . $session->get_error_message();
		$role    = 'participant';
		$session = oovoo_server_login( $settings, $user_id, $role );
	}
	if ( is_wp_error( $session ) ) {
		return array(
			'ok'      => false,
			'message' => $session->get_error_message(),
		);
	}
	$claims = $session['claims'];
	$app    = isset( $claims['app'] ) ? (string) $claims['app'] : '';
	if ( '' !== $settings['app_id'] && $app !== $settings['app_id'] ) {
		return array(
			'ok'      => false,
			/* translators: 1: the token's app, 2: the App ID setting. */
			'message' => sprintf( __( 'The web token belongs to the app %1$s, but the App ID setting is %2$s: the elements would refuse its sessions. Fix one of the two.', 'oovoo' ), $app, $settings['app_id'] ),
		);
	}
	$minutes = isset( $claims['exp'] ) ? max( 0, (int) round( ( (int) $claims['exp'] - time() ) / 60 ) ) : 0;
	$message = sprintf(
		/* translators: 1: server URL, 2: user id, 3: role, 4: minutes. */
		__( 'Connected to %1$s: it signed you in as user "%2$s" with the %3$s role, for %4$d minutes.', 'oovoo' ),
		$settings['server_url'],
		$user_id,
		$role,
		$minutes
	) . $note;
	$script = '' !== $settings['script_url'] ? $settings['script_url'] : $settings['server_url'] . '/oovoo.min.js';
	$head   = wp_remote_head( $script, array( 'timeout' => 10 ) );
	if ( is_wp_error( $head ) || 200 !== (int) wp_remote_retrieve_response_code( $head ) ) {
		return array(
			'ok'      => false,
			/* translators: %s: the script's URL. */
			'message' => $message . ' ' . sprintf( __( 'But the script %s does not load: pages would show no call.', 'oovoo' ), $script ),
		);
	}
	return array(
		'ok'      => '' === $note,
		'message' => $message,
	);
}

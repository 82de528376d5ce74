<?php
/**
 * The spec's server-to-server login: this site, which knows who the user is, asks the oovoo server
 * for a session token with its web token, and only the session token reaches the page.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The server's server-to-server login path and the spec's fixed query parameters. */
const OOVOO_S2S_PATH = '/1.0/sso/app/login/s2s';

/**
 * This site's origin, sent as the login's Origin header: the server checks it against the app's domains.
 *
 * @return string
 */
function oovoo_site_origin() {
	return oovoo_url_origin( home_url() );
}

/**
 * The claims inside a session token (a JWT), read without checking it: the server checks it, the
 * plugin only wants its expiry, app, user and role.
 *
 * @param string $token A session token.
 * @return array<string, mixed>
 */
function oovoo_token_claims( $token ) {
	$parts = explode( '.', (string) $token );
	if ( 3 !== count( $parts ) ) {
		return array();
	}
	$json   = base64_decode( strtr( $parts[1], '-_', '+/' ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- a JWT's payload.
	$claims = false === $json ? null : json_decode( $json, true );
	return is_array( $claims ) ? $claims : array();
}

/**
 * Asks the server for a session token for one user.
 *
 * @param array<string, mixed> $settings The plugin's settings.
 * @param string               $user_id  The user id the server signs in.
 * @param string               $role     'participant' or 'host'.
 * @return array{token: string, claims: array<string, mixed>}|WP_Error A WP_Error's message says what happened in words.
 */
function oovoo_server_login( $settings, $user_id, $role = 'participant' ) {
	if ( '' === $settings['server_url'] || '' === $settings['web_token'] ) {
		return new WP_Error( 'oovoo_not_configured', __( 'The plugin is not set up yet: enter the server URL and the web token under Settings → oovoo.', 'oovoo' ) );
	}
	$url      = add_query_arg(
		array(
			'at'  => rawurlencode( $settings['web_token'] ),
			'ct'  => '1',
			'cst' => '2',
			'sv'  => '1.8',
			'cv'  => '0.2',
		),
		$settings['server_url'] . OOVOO_S2S_PATH
	);
	$response = wp_remote_post(
		$url,
		array(
			'timeout'     => 10,
			'redirection' => 0,
			'headers'     => array(
				'Content-Type' => 'application/json',
				'Accept'       => 'application/json',
				'Origin'       => oovoo_site_origin(),
			),
			'body'        => wp_json_encode(
				array(
					'payload' => array(
						'user_id' => (string) $user_id,
						'role'    => $role,
					),
				)
			),
		)
	);
	if ( is_wp_error( $response ) ) {
		return new WP_Error(
			'oovoo_unreachable',
			/* translators: 1: the server URL, 2: why the request failed. */
			sprintf( __( 'Could not reach the oovoo server at %1$s (%2$s). Check the server URL, and that this site’s server can reach it.', 'oovoo' ), $settings['server_url'], $response->get_error_message() )
		);
	}
	$status = (int) wp_remote_retrieve_response_code( $response );
	$body   = json_decode( wp_remote_retrieve_body( $response ), true );
	$token  = is_array( $body ) && isset( $body['payload']['token'] ) && is_string( $body['payload']['token'] ) ? $body['payload']['token'] : '';
	if ( 200 === $status && '' !== $token ) {
		return array(
			'token'  => $token,
			'claims' => oovoo_token_claims( $token ),
		);
	}
	$error = is_array( $body ) && isset( $body['error'] ) && is_array( $body['error'] ) ? $body['error'] : array();
	return new WP_Error(
		'oovoo_refused',
		oovoo_login_error_words( $status, $error, $settings, wp_remote_retrieve_header( $response, 'retry-after' ) ),
		array(
			'status' => $status,
			'code'   => isset( $error['code'] ) ? (int) $error['code'] : 0,
		)
	);
}

/**
 * What a refused login means and what to change, in words.
 *
 * @param int                  $status      The HTTP status.
 * @param array<string, mixed> $error       The server's `{ code, name, description }`.
 * @param array<string, mixed> $settings    The plugin's settings.
 * @param string               $retry_after The Retry-After header, if any.
 * @return string
 */
function oovoo_login_error_words( $status, $error, $settings, $retry_after = '' ) {
	$code        = isset( $error['code'] ) ? (int) $error['code'] : 0;
	$description = isset( $error['description'] ) ? (string) $error['description'] : '';
	/* translators: 1: the HTTP status, 2: the spec's error code, 3: the server's description. */
	$said = sprintf( __( 'The server answered %1$d (%2$d): %3$s', 'oovoo' ), $status, $code, $description );
	if ( 429 === $status ) {
		/* translators: %s: seconds. */
		return sprintf( __( 'The server is limiting logins from this site; try again in %s seconds.', 'oovoo' ), $retry_after ? $retry_after : '60' );
	}
	if ( -30000 === $code || -30001 === $code ) {
		return $said . ' ' . __( 'Paste a web token of this app (oovoo-server token create --type web, or the developer portal) into the plugin’s settings.', 'oovoo' );
	}
	if ( -30004 === $code ) {
		return $said . ' ' . __( 'The app is blocked on the server; ask its operator to unblock it.', 'oovoo' );
	}
	if ( -35001 === $code && false !== stripos( $description, 'host' ) ) {
		return $said . ' ' . __( 'To let editors host, set the app’s client-side login to "none" (oovoo-server app client-login --policy none), or choose "No one" under "Who may host".', 'oovoo' );
	}
	if ( -35001 === $code ) {
		$host = (string) wp_parse_url( home_url(), PHP_URL_HOST );
		/* translators: 1: the App ID, 2: this site's host name. */
		return $said . ' ' . sprintf( __( 'Permit this site on the app: oovoo-server app domain add --app %1$s --domain %2$s', 'oovoo' ), $settings['app_id'] ? $settings['app_id'] : 'APP_ID', $host );
	}
	if ( 404 === $status ) {
		/* translators: %s: the server URL. */
		return sprintf( __( 'No oovoo server answers at %s (404): check the server URL.', 'oovoo' ), $settings['server_url'] );
	}
	return $said;
}

/**
 * The oovoo user id of a WordPress user: the user ID, or the login name (a setting).
 *
 * @param WP_User              $user     The user.
 * @param array<string, mixed> $settings The plugin's settings.
 * @return string
 */
function oovoo_user_id( $user, $settings ) {
	return 'login' === $settings['id_mode'] ? (string) $user->user_login : (string) $user->ID;
}

/**
 * Whether a user gets the host role.
 *
 * @param WP_User              $user     The user.
 * @param array<string, mixed> $settings The plugin's settings.
 * @return bool
 */
function oovoo_user_may_host( $user, $settings ) {
	if ( 'editors' === $settings['hosts'] ) {
		return user_can( $user, 'edit_others_posts' );
	}
	return 'administrators' === $settings['hosts'] && user_can( $user, 'manage_options' );
}

/**
 * Who is looking at the page, as the elements sign them in: a logged-in user, a guest with a
 * server-made id when guests are allowed, or null (the page shows the log-in message).
 *
 * @param array<string, mixed> $settings The plugin's settings.
 * @return array{user_id: string, display_name: string, token: string, role: string}|WP_Error|null
 */
function oovoo_current_identity( $settings ) {
	$user = wp_get_current_user();
	if ( $user->exists() ) {
		$user_id = oovoo_user_id( $user, $settings );
		$role    = oovoo_user_may_host( $user, $settings ) ? 'host' : 'participant';
		$name    = $user->display_name ? $user->display_name : $user->user_login;
	} elseif ( $settings['allow_guests'] ) {
		// Made here, never taken from the request: a guest cannot pick someone else's id.
		$user_id = 'guest-' . strtolower( wp_generate_password( 12, false ) );
		$role    = 'participant';
		$name    = __( 'Guest', 'oovoo' );
	} else {
		return null;
	}
	$session = oovoo_cached_login( $settings, $user_id, $role );
	if ( is_wp_error( $session ) && 'host' === $role && 'oovoo_refused' === $session->get_error_code() ) {
		// The app grants no host (its client-side login is on): the user still joins, as a participant.
		$role    = 'participant';
		$session = oovoo_cached_login( $settings, $user_id, $role );
	}
	if ( is_wp_error( $session ) ) {
		return $session;
	}
	return array(
		'user_id'      => $user_id,
		'display_name' => $name,
		'token'        => $session['token'],
		'role'         => $role,
	);
}

/**
 * A session token from the cache (a transient per user, settings and role, until a few minutes before
 * it expires) or from a fresh login. Guests' ids are new each time, so their tokens are not kept.
 *
 * @param array<string, mixed> $settings The plugin's settings.
 * @param string               $user_id  The user id.
 * @param string               $role     'participant' or 'host'.
 * @return array{token: string, claims: array<string, mixed>}|WP_Error
 */
function oovoo_cached_login( $settings, $user_id, $role ) {
	$guest = 0 === strpos( $user_id, 'guest-' ) && ! get_current_user_id();
	$key   = 'oovoo_st_' . md5( wp_json_encode( array( $settings['server_url'], $settings['web_token'], $user_id, $role ) ) );
	$held  = $guest ? false : get_transient( $key );
	if ( is_array( $held ) && isset( $held['token'] ) ) {
		return $held;
	}
	$session = oovoo_server_login( $settings, $user_id, $role );
	if ( ! $guest && ! is_wp_error( $session ) && isset( $session['claims']['exp'] ) ) {
		$ttl = (int) $session['claims']['exp'] - time() - 5 * MINUTE_IN_SECONDS;
		if ( $ttl > 0 ) {
			set_transient( $key, $session, min( $ttl, HOUR_IN_SECONDS ) );
		}
	}
	return $session;
}

<?php
/**
 * What the plugin's tests share: settings pointing at our test server, and a stand-in for the HTTP layer.
 *
 * @package oovoo
 */

use PHPUnit\Framework\TestCase;

/**
 * Each test starts from settings of its own and no cached session token.
 */
abstract class OovooTestCase extends TestCase {

	/**
	 * The requests the stand-in answered: each is [ url, args ].
	 *
	 * @var array<int, array{0: string, 1: array<string, mixed>}>
	 */
	protected $requests = array();

	/** Settings for the main test app on our server. */
	protected function set_up_settings( array $overrides = array() ) {
		update_option(
			OOVOO_OPTION,
			array_merge(
				oovoo_default_settings(),
				array(
					'server_url' => getenv( 'OOVOO_TEST_SERVER' ),
					'app_id'     => getenv( 'OOVOO_TEST_APP_ID' ),
					'web_token'  => getenv( 'OOVOO_TEST_WEB_TOKEN' ),
				),
				$overrides
			)
		);
		return oovoo_get_settings();
	}

	/** Answers every HTTP request of WordPress with a session token for `uid`, recording the requests. */
	protected function answer_with_session( $uid, array $extra = array() ) {
		$claims = array_merge(
			array(
				'app' => getenv( 'OOVOO_TEST_APP_ID' ),
				'sub' => $uid,
				'exp' => time() + 3600,
			),
			$extra
		);
		$token  = 'eyJhbGciOiJIUzI1NiJ9.' . rtrim( strtr( base64_encode( wp_json_encode( $claims ) ), '+/', '-_' ), '=' ) . '.c2ln';
		add_filter(
			'pre_http_request',
			function ( $pre, $args, $url ) use ( $token ) {
				$this->requests[] = array( $url, $args );
				return array(
					'headers'  => array(),
					'body'     => wp_json_encode( array( 'payload' => array( 'token' => $token ) ) ),
					'response' => array(
						'code'    => 200,
						'message' => 'OK',
					),
					'cookies'  => array(),
					'filename' => null,
				);
			},
			10,
			3
		);
		return $token;
	}

	/** Records the HTTP requests that then really go out. */
	protected function count_requests() {
		add_filter(
			'pre_http_request',
			function ( $pre, $args, $url ) {
				$this->requests[] = array( $url, $args );
				return $pre;
			},
			10,
			3
		);
	}

	protected function setUp(): void {
		parent::setUp();
		$this->requests = array();
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_%oovoo\\_%'" );
		wp_set_current_user( 0 );
	}

	protected function tearDown(): void {
		remove_all_filters( 'pre_http_request' );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/** A user with that role (made once per login). */
	protected function user( $login, $role, $display_name = '' ) {
		$user = get_user_by( 'login', $login );
		if ( ! $user ) {
			$id   = wp_insert_user(
				array(
					'user_login'   => $login,
					'user_pass'    => wp_generate_password(),
					'user_email'   => $login . '@example.test',
					'role'         => $role,
					'display_name' => $display_name ? $display_name : $login,
				)
			);
			$user = get_user_by( 'id', $id );
		}
		return $user;
	}
}

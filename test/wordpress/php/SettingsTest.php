<?php
/**
 * oovoo_sanitize_settings(): what the settings form may save.
 *
 * @package oovoo
 */

/**
 * Each field is checked on its own; a bad value is reported in words and the saved one kept.
 */
class SettingsTest extends OovooTestCase {

	/** The settings saved before each case. */
	private function current() {
		return array_merge(
			oovoo_default_settings(),
			array(
				'server_url' => 'https://video.example.com',
				'app_id'     => 'APP123',
				'web_token'  => 'ovt1.saved.token',
			)
		);
	}

	public function test_a_server_url_is_kept_as_its_origin() {
		$result = oovoo_sanitize_settings( array( 'server_url' => ' HTTPS://Video.Example.COM:8443/some/path?x=1 ' ), $this->current() );
		$this->assertSame( 'https://video.example.com:8443', $result['settings']['server_url'] );
		$this->assertSame( array(), $result['errors'] );
	}

	public function test_a_server_url_that_is_not_http_is_refused_and_the_saved_one_kept() {
		foreach ( array( 'javascript:alert(1)', 'ftp://files.example.com', 'not a url' ) as $typed ) {
			$result = oovoo_sanitize_settings( array( 'server_url' => $typed ), $this->current() );
			$this->assertSame( 'https://video.example.com', $result['settings']['server_url'], $typed );
			$this->assertCount( 1, $result['errors'], $typed );
			$this->assertStringContainsString( 'not an http or https address', $result['errors'][0] );
		}
	}

	public function test_an_empty_web_token_keeps_the_saved_one_and_clear_removes_it() {
		$kept = oovoo_sanitize_settings( array( 'web_token' => '' ), $this->current() );
		$this->assertSame( 'ovt1.saved.token', $kept['settings']['web_token'] );
		$new = oovoo_sanitize_settings( array( 'web_token' => "  ovt1.new.token\n" ), $this->current() );
		$this->assertSame( 'ovt1.new.token', $new['settings']['web_token'] );
		$cleared = oovoo_sanitize_settings(
			array(
				'web_token'       => '',
				'clear_web_token' => '1',
			),
			$this->current()
		);
		$this->assertSame( '', $cleared['settings']['web_token'] );
	}

	public function test_a_web_token_with_spaces_or_markup_is_refused() {
		foreach ( array( 'two words', str_repeat( 'x', 201 ), "tab\there", 'ovt1.<script>' ) as $typed ) {
			$result = oovoo_sanitize_settings( array( 'web_token' => $typed ), $this->current() );
			$this->assertSame( 'ovt1.saved.token', $result['settings']['web_token'] );
			$this->assertCount( 1, $result['errors'] );
		}
	}

	public function test_an_app_id_with_other_characters_is_refused() {
		$result = oovoo_sanitize_settings( array( 'app_id' => 'APP<script>' ), $this->current() );
		$this->assertSame( 'APP123', $result['settings']['app_id'] );
		$this->assertStringContainsString( 'App ID', $result['errors'][0] );
	}

	public function test_choices_outside_their_lists_are_refused() {
		$result = oovoo_sanitize_settings(
			array(
				'layout'  => 'carousel',
				'hosts'   => 'everyone',
				'id_mode' => 'login',
			),
			$this->current()
		);
		$this->assertSame( 'grid', $result['settings']['layout'] );
		$this->assertSame( 'editors', $result['settings']['hosts'] );
		$this->assertSame( 'login', $result['settings']['id_mode'] );
		$this->assertCount( 2, $result['errors'] );
	}

	public function test_checkboxes_are_booleans_and_absent_means_off() {
		$result = oovoo_sanitize_settings( array( 'allow_guests' => '1' ), $this->current() );
		$this->assertTrue( $result['settings']['allow_guests'] );
		$this->assertFalse( $result['settings']['autojoin'] );
		$this->assertFalse( $result['settings']['prejoin'] );
	}

	public function test_a_field_sent_as_an_array_counts_as_empty() {
		$result = oovoo_sanitize_settings( array( 'server_url' => array( 'https://x.example' ) ), $this->current() );
		$this->assertSame( '', $result['settings']['server_url'] );
		$this->assertSame( array(), $result['errors'] );
	}

	public function test_the_masked_token_shows_only_its_last_four_characters() {
		$this->assertSame( 'set, ending in …1234', oovoo_masked_token( 'ovt1.secret-part.abcd1234' ) );
		$this->assertSame( 'not set', oovoo_masked_token( '' ) );
	}
}
